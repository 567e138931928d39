#ifndef LOSSES_SUPPORT_H
#define LOSSES_SUPPORT_H
/* Internal to liblosses. The Swift export layer records the message of a failed call here;
   Swift has no thread-local storage of its own. Not exported: the version script keeps only
   the losses_* names of include/losses.h. */
void _losses_set_error(const char *message);

#endif

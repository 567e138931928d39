/* Nothing to declare: the target only defines hypot and hypotf (see glibc_floor.c). */

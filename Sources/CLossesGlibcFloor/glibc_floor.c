/* Keeps liblosses.so loadable on glibc 2.34 (RHEL/Rocky/Alma 9).
 *
 * swift-numerics' Real conformances reference hypot and hypotf, which glibc 2.35 re-versioned
 * (GLIBC_2.35: the same functions without the old SVID error wrapper). Linking against a newer
 * glibc records that version, and the loader then refuses every older glibc. These two
 * definitions bind the references to the original versions, present in every x86-64 glibc since
 * 2.2.5; the version script keeps them local to the library. The library's own losses never call
 * either function (its distances compute their norms themselves).
 */
#include <math.h> /* also defines __GLIBC__ */

#if defined(__x86_64__) && defined(__GLIBC__)

__asm__(".symver losses_glibc_hypot, hypot@GLIBC_2.2.5");
__asm__(".symver losses_glibc_hypotf, hypotf@GLIBC_2.2.5");
double losses_glibc_hypot(double x, double y);
float losses_glibc_hypotf(float x, float y);

double hypot(double x, double y) { return losses_glibc_hypot(x, y); }
float hypotf(float x, float y) { return losses_glibc_hypotf(x, y); }

#endif

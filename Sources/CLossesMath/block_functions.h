/* The block functions of one element type, written once: vector_math_f32.c and vector_math_f64.c
   each define the element type and its scalar polynomials, then include this file. (No include
   guard: one inclusion per dtype file.)

   Before including: BLOCK_T (float or double), BLOCK_NAME(name) (appends the dtype suffix),
   BLOCK_EXP, BLOCK_LOG, BLOCK_LOG1P_UNIT (the scalar polynomials) and BLOCK_FABS. The file
   including it has FP contraction off and clones.h included. */

/* Element i reads only x[i] before writing y[i], so y == x is safe; without the pragma the
   vectorised loop's overlap check sends in-place calls, the usual ones, to the scalar loop. */
LOSSES_CLONES
void BLOCK_NAME(_losses_exp)(const BLOCK_T *x, BLOCK_T *y, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) y[i] = BLOCK_EXP(x[i]);
}

LOSSES_CLONES
void BLOCK_NAME(_losses_log1p_unit)(const BLOCK_T *e, BLOCK_T *y, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) y[i] = BLOCK_LOG1P_UNIT(e[i]);
}

LOSSES_CLONES
void BLOCK_NAME(_losses_log)(const BLOCK_T *x, BLOCK_T *y, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) y[i] = BLOCK_LOG(x[i]);
}

/* y[i] = exp(x[i] - shift), returning their sum: the softmax denominator of one row. Two
   passes, each of which vectorises: the exponentials (elementwise, so y == x is safe), then
   their sum in eight accumulators of a fixed order (no reassociation), so every clone adds the
   same way. */
LOSSES_CLONES
BLOCK_T BLOCK_NAME(_losses_exp_shifted_sum)(const BLOCK_T *x, BLOCK_T shift, BLOCK_T *y, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) y[i] = BLOCK_EXP(x[i] - shift);
    BLOCK_T acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) acc[k] += y[i + k];
    BLOCK_T tail = 0;
    for (; i < n; i++) tail += y[i];
    return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail;
}

/* The largest of n values, -inf for none; NaN entries are passed over. Sixteen lanes (a
   comparison is exact, so the lane order cannot change the result). */
LOSSES_CLONES
BLOCK_T BLOCK_NAME(_losses_max)(const BLOCK_T *x, int64_t n) {
    BLOCK_T acc[16];
    for (int k = 0; k < 16; k++) acc[k] = -__builtin_inf();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) acc[k] = x[i + k] > acc[k] ? x[i + k] : acc[k];
    BLOCK_T m = -__builtin_inf();
    for (int k = 0; k < 16; k++) m = acc[k] > m ? acc[k] : m;
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

/* The parts of the logistic function at x that every sigmoid/softplus loss needs:
   e = exp(-|x|), l = log1p(e) and r = 1/(1 + e); then softplus(±x) = max(±x, 0) + l and
   σ(x) is r or e·r by the sign of x. No output may alias x or another. Three passes, not one:
   a loop body holding both polynomials spills registers (measured about 20% slower in
   float64). Each value sees the same operations either way. */
LOSSES_CLONES
void BLOCK_NAME(_losses_logistic_parts)(const BLOCK_T *x, BLOCK_T *e, BLOCK_T *l, BLOCK_T *r, int64_t n) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) e[i] = BLOCK_EXP(-BLOCK_FABS(x[i]));
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) l[i] = BLOCK_LOG1P_UNIT(e[i]);
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) r[i] = 1 / (1 + e[i]);
}

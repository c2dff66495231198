/*
 * EC_GROUP / EC_POINT / EC_KEY / ECDSA on mbedtls_ecp over prime fields.
 *
 * libtpms builds every curve from its parameters (EC_GROUP_new_curve_GFp +
 * EC_GROUP_set_generator), anew for every command.  When the parameters are
 * those of a short-Weierstrass curve mbedtls knows (P-256, P-384, P-521,
 * ...), the EC_GROUP computes with mbedtls's own group for that curve (fast
 * reduction), and that group is one long-lived object per curve, loaded
 * once and never freed, shared by every EC_GROUP of the curve.  The point:
 * mbedtls keeps the comb table for the base point (grp->T) in the group
 * when it first multiplies G, so sharing the group keeps the table across
 * commands instead of recomputing it for every signature.  The table is a
 * deterministic function of G (no randomness); blinding still comes from
 * the RNG passed to each multiplication and signature.  Nothing else
 * writes to a shared group: the adapter only passes it to mbedtls's
 * arithmetic, and EC_GROUP_free frees the object's own parameters only.
 * Like libtpms, and like the RSA cache (rsa.c), this assumes one caller at
 * a time: two concurrent first multiplications could both store T.
 * Other curves (BN-P256, BN-P638, SM2) stay per-object generic
 * short-Weierstrass groups with an explicit A (and recompute their table).
 *
 * Points are kept affine (Z = 1) or at infinity (Z = 0).  Scalars are
 * reduced modulo the group order before multiplying, as OpenSSL does, so a
 * zero scalar gives the point at infinity.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>

#include "../openssl/ec.h"
#include "../openssl/ecdsa.h"
#include "adapter_internal.h"

EC_GROUP *EC_GROUP_new_curve_GFp(const BIGNUM *p, const BIGNUM *a,
				 const BIGNUM *b, BN_CTX *ctx)
{
	EC_GROUP *g = calloc(1, sizeof(*g));

	(void)ctx;
	if (g == NULL) {
		return NULL;
	}
	mbedtls_ecp_group_init(&g->own);
	g->grp = &g->own;
	g->refs = 1;
	if (mbedtls_mpi_copy(&g->own.P, &p->mpi) != 0 ||
	    mbedtls_mpi_copy(&g->own.A, &a->mpi) != 0 ||
	    mbedtls_mpi_copy(&g->own.B, &b->mpi) != 0) {
		EC_GROUP_free(g);
		return NULL;
	}
	g->own.pbits = mbedtls_mpi_bitlen(&p->mpi);
	return g;
}

/*
 * The shared groups, indexed by mbedtls_ecp_group_id: state 0 = not tried
 * yet, 1 = loaded (short Weierstrass), -1 = not usable here.  Loaded on
 * first use and kept for the life of the process, T included.
 */
#define EC_SHARED_SLOTS 16
static mbedtls_ecp_group ec_shared[EC_SHARED_SLOTS];
static signed char ec_shared_state[EC_SHARED_SLOTS];

static mbedtls_ecp_group *ec_shared_group(mbedtls_ecp_group_id id)
{
	mbedtls_ecp_group *g;

	if ((unsigned)id >= EC_SHARED_SLOTS) {
		return NULL;
	}
	g = &ec_shared[id];
	if (ec_shared_state[id] == 0) {
		mbedtls_ecp_group_init(g);
		if (mbedtls_ecp_group_load(g, id) == 0 &&
		    mbedtls_ecp_get_type(g) ==
			    MBEDTLS_ECP_TYPE_SHORT_WEIERSTRASS) {
			ec_shared_state[id] = 1;
		} else {
			mbedtls_ecp_group_free(g);
			mbedtls_ecp_group_init(g);
			ec_shared_state[id] = -1;
		}
	}
	return ec_shared_state[id] == 1 ? g : NULL;
}

/* Does the (short-Weierstrass) curve `known` have exactly g's parameters? */
static int ec_group_matches(const mbedtls_ecp_group *g,
			    const mbedtls_ecp_group *known)
{
	mbedtls_mpi a;
	int same;

	if (mbedtls_mpi_cmp_mpi(&known->P, &g->P) != 0) {
		return 0;
	}
	mbedtls_mpi_init(&a);
	/* mbedtls leaves A unset for the A = -3 curves. */
	if (known->A.p == NULL) {
		same = mbedtls_mpi_sub_int(&a, &known->P, 3) == 0;
	} else {
		same = mbedtls_mpi_copy(&a, &known->A) == 0;
	}
	same = same && mbedtls_mpi_cmp_mpi(&a, &g->A) == 0 &&
	       mbedtls_mpi_cmp_mpi(&known->B, &g->B) == 0 &&
	       mbedtls_mpi_cmp_mpi(&known->N, &g->N) == 0 &&
	       mbedtls_mpi_cmp_mpi(&known->G.X, &g->G.X) == 0 &&
	       mbedtls_mpi_cmp_mpi(&known->G.Y, &g->G.Y) == 0 &&
	       mbedtls_mpi_cmp_mpi(&known->G.Z, &g->G.Z) == 0;
	mbedtls_mpi_free(&a);
	return same;
}

int EC_GROUP_set_generator(EC_GROUP *group, const EC_POINT *generator,
			   const BIGNUM *order, const BIGNUM *cofactor)
{
	const mbedtls_ecp_curve_info *info;
	mbedtls_ecp_group *known;

	/* Parameters change only in this object's own group. */
	group->grp = &group->own;
	if (mbedtls_ecp_is_zero((mbedtls_ecp_point *)&generator->pt) ||
	    mbedtls_mpi_cmp_int(&order->mpi, 1) <= 0 ||
	    mbedtls_ecp_copy(&group->own.G, &generator->pt) != 0 ||
	    mbedtls_mpi_copy(&group->own.N, &order->mpi) != 0) {
		return 0;
	}
	group->own.nbits = mbedtls_mpi_bitlen(&order->mpi);
	/*
	 * mbedtls's `h` is not the cofactor: it marks groups whose numbers are
	 * static (h = 1).  Ours are allocated, so it stays 0; libtpms's prime
	 * curves have cofactor 1, which mbedtls assumes for short Weierstrass.
	 */
	if (cofactor != NULL && mbedtls_mpi_cmp_int(&cofactor->mpi, 1) != 0) {
		return adapter_unsupported("EC_GROUP_set_generator: cofactor");
	}
	group->has_generator = 1;
	for (info = mbedtls_ecp_curve_list();
	     info->grp_id != MBEDTLS_ECP_DP_NONE; info++) {
		if ((size_t)info->bit_size != group->own.pbits) {
			continue;
		}
		known = ec_shared_group(info->grp_id);
		if (known != NULL && ec_group_matches(&group->own, known)) {
			group->grp = known;
			break;
		}
	}
	return 1;
}

/* Frees the object's own group only, never a shared one (group->grp). */
void EC_GROUP_free(EC_GROUP *group)
{
	if (group != NULL && --group->refs == 0) {
		mbedtls_ecp_group_free(&group->own);
		free(group);
	}
}

EC_POINT *EC_POINT_new(const EC_GROUP *group)
{
	EC_POINT *p;

	if (group == NULL) {
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p != NULL) {
		mbedtls_ecp_point_init(&p->pt); /* Z = 0: infinity */
	}
	return p;
}

void EC_POINT_free(EC_POINT *point)
{
	if (point != NULL) {
		mbedtls_ecp_point_free(&point->pt);
		free(point);
	}
}

void EC_POINT_clear_free(EC_POINT *point)
{
	EC_POINT_free(point); /* mbedtls zeroizes freed limbs */
}

/*
 * Is (x, y) on y^2 = x^3 + a*x + b over GF(p), with 0 <= x, y < p?  Done
 * here rather than with mbedtls_ecp_check_pubkey(), which needs the
 * generator, while libtpms sets the generator's own coordinates first.
 */
static int ec_on_curve(const mbedtls_ecp_group *grp, const mbedtls_mpi *x,
		       const mbedtls_mpi *y)
{
	mbedtls_mpi lhs, rhs, t;
	int ok;

	if (mbedtls_mpi_cmp_int(x, 0) < 0 || mbedtls_mpi_cmp_int(y, 0) < 0 ||
	    mbedtls_mpi_cmp_mpi(x, &grp->P) >= 0 ||
	    mbedtls_mpi_cmp_mpi(y, &grp->P) >= 0) {
		return 0;
	}
	mbedtls_mpi_init(&lhs);
	mbedtls_mpi_init(&rhs);
	mbedtls_mpi_init(&t);
	ok = mbedtls_mpi_mul_mpi(&t, y, y) == 0 &&
	     mbedtls_mpi_mod_mpi(&lhs, &t, &grp->P) == 0 &&
	     /* rhs = (x^2 + a) * x + b mod p; mbedtls leaves A unset for -3 */
	     mbedtls_mpi_mul_mpi(&t, x, x) == 0 &&
	     (grp->A.p == NULL ? mbedtls_mpi_sub_int(&t, &t, 3)
			       : mbedtls_mpi_add_mpi(&t, &t, &grp->A)) == 0 &&
	     mbedtls_mpi_mul_mpi(&rhs, &t, x) == 0 &&
	     mbedtls_mpi_add_mpi(&rhs, &rhs, &grp->B) == 0 &&
	     mbedtls_mpi_mod_mpi(&rhs, &rhs, &grp->P) == 0 &&
	     mbedtls_mpi_cmp_mpi(&lhs, &rhs) == 0;
	mbedtls_mpi_free(&lhs);
	mbedtls_mpi_free(&rhs);
	mbedtls_mpi_free(&t);
	return ok;
}

/* Like OpenSSL 3, refuses coordinates that are not on the curve. */
int EC_POINT_set_affine_coordinates(const EC_GROUP *group, EC_POINT *p,
				    const BIGNUM *x, const BIGNUM *y,
				    BN_CTX *ctx)
{
	(void)ctx;
	if (!ec_on_curve(group->grp, &x->mpi, &y->mpi)) {
		return 0;
	}
	return mbedtls_mpi_copy(&p->pt.X, &x->mpi) == 0 &&
	       mbedtls_mpi_copy(&p->pt.Y, &y->mpi) == 0 &&
	       mbedtls_mpi_lset(&p->pt.Z, 1) == 0;
}

int EC_POINT_get_affine_coordinates(const EC_GROUP *group, const EC_POINT *p,
				    BIGNUM *x, BIGNUM *y, BN_CTX *ctx)
{
	(void)group;
	(void)ctx;
	if (mbedtls_ecp_is_zero((mbedtls_ecp_point *)&p->pt)) {
		return 0;
	}
	return (x == NULL || mbedtls_mpi_copy(&x->mpi, &p->pt.X) == 0) &&
	       (y == NULL || mbedtls_mpi_copy(&y->mpi, &p->pt.Y) == 0);
}

/* r = k * P, with k reduced mod n; infinity when k = 0 or P is infinity. */
static int ec_mul(const EC_GROUP *group, mbedtls_ecp_point *r,
		  const mbedtls_mpi *k, const mbedtls_ecp_point *p)
{
	mbedtls_ecp_group *grp = group->grp;
	mbedtls_mpi kr;
	int ok;

	mbedtls_mpi_init(&kr);
	ok = mbedtls_mpi_mod_mpi(&kr, k, &grp->N) == 0;
	if (ok && (mbedtls_mpi_cmp_int(&kr, 0) == 0 ||
		   mbedtls_ecp_is_zero((mbedtls_ecp_point *)p))) {
		ok = mbedtls_ecp_set_zero(r) == 0;
	} else if (ok) {
		ok = mbedtls_ecp_mul(grp, r, &kr, p, adapter_rng, NULL) == 0;
	}
	mbedtls_mpi_free(&kr);
	return ok;
}

/* r = a + b (mbedtls_ecp_muladd with unit scalars; handles a = +-b). */
static int ec_add(const EC_GROUP *group, mbedtls_ecp_point *r,
		  const mbedtls_ecp_point *a, const mbedtls_ecp_point *b)
{
	mbedtls_ecp_group *grp = group->grp;
	mbedtls_mpi one;
	int ok;

	if (mbedtls_ecp_is_zero((mbedtls_ecp_point *)a)) {
		return mbedtls_ecp_copy(r, b) == 0;
	}
	if (mbedtls_ecp_is_zero((mbedtls_ecp_point *)b)) {
		return mbedtls_ecp_copy(r, a) == 0;
	}
	mbedtls_mpi_init(&one);
	ok = mbedtls_mpi_lset(&one, 1) == 0 &&
	     mbedtls_ecp_muladd(grp, r, &one, a, &one, b) == 0;
	mbedtls_mpi_free(&one);
	return ok;
}

int EC_POINT_add(const EC_GROUP *group, EC_POINT *r, const EC_POINT *a,
		 const EC_POINT *b, BN_CTX *ctx)
{
	(void)ctx;
	return ec_add(group, &r->pt, &a->pt, &b->pt);
}

int EC_POINTs_mul(const EC_GROUP *group, EC_POINT *r, const BIGNUM *n,
		  size_t num, const EC_POINT *p[], const BIGNUM *m[],
		  BN_CTX *ctx)
{
	mbedtls_ecp_point acc, term;
	size_t i;
	int ok = group->has_generator;

	(void)ctx;
	mbedtls_ecp_point_init(&acc);
	mbedtls_ecp_point_init(&term);
	if (ok && n != NULL) {
		ok = ec_mul(group, &acc, &n->mpi, &group->grp->G);
	}
	for (i = 0; ok && i < num; i++) {
		ok = ec_mul(group, &term, &m[i]->mpi, &p[i]->pt) &&
		     ec_add(group, &acc, &acc, &term);
	}
	ok = ok && mbedtls_ecp_copy(&r->pt, &acc) == 0;
	mbedtls_ecp_point_free(&acc);
	mbedtls_ecp_point_free(&term);
	return ok;
}

int EC_POINT_mul(const EC_GROUP *group, EC_POINT *r, const BIGNUM *n,
		 const EC_POINT *q, const BIGNUM *m, BN_CTX *ctx)
{
	const EC_POINT *points[1] = { q };
	const BIGNUM *scalars[1] = { m };

	return EC_POINTs_mul(group, r, n, q != NULL && m != NULL ? 1 : 0,
			     points, scalars, ctx);
}

EC_KEY *EC_KEY_new(void)
{
	return calloc(1, sizeof(EC_KEY));
}

void EC_KEY_free(EC_KEY *key)
{
	if (key != NULL) {
		EC_GROUP_free(key->group);
		BN_clear_free(key->priv);
		EC_POINT_clear_free(key->pub);
		free(key);
	}
}

/* OpenSSL copies the group; sharing it by reference count is equivalent. */
int EC_KEY_set_group(EC_KEY *key, const EC_GROUP *group)
{
	EC_GROUP *g = (EC_GROUP *)group;

	if (g == NULL || !g->has_generator) {
		return 0;
	}
	g->refs++;
	EC_GROUP_free(key->group);
	key->group = g;
	return 1;
}

int EC_KEY_set_private_key(EC_KEY *key, const BIGNUM *prv)
{
	BIGNUM *copy = BN_dup(prv);

	if (copy == NULL) {
		return 0;
	}
	BN_clear_free(key->priv);
	key->priv = copy;
	return 1;
}

const BIGNUM *EC_KEY_get0_private_key(const EC_KEY *key)
{
	return key->priv;
}

int EC_KEY_set_public_key(EC_KEY *key, const EC_POINT *pub)
{
	EC_POINT *copy;

	if (key->group == NULL) {
		return 0;
	}
	copy = EC_POINT_new(key->group);
	if (copy == NULL || mbedtls_ecp_copy(&copy->pt, &pub->pt) != 0) {
		EC_POINT_free(copy);
		return 0;
	}
	EC_POINT_clear_free(key->pub);
	key->pub = copy;
	return 1;
}

/* A private key uniform in [1, n-1] and its public point d*G. */
int EC_KEY_generate_key(EC_KEY *key)
{
	BIGNUM *d;
	EC_POINT *q;

	if (key->group == NULL) {
		return 0;
	}
	d = BN_new();
	q = EC_POINT_new(key->group);
	if (d == NULL || q == NULL ||
	    mbedtls_ecp_gen_privkey(key->group->grp, &d->mpi, adapter_rng,
				    NULL) != 0 ||
	    !ec_mul(key->group, &q->pt, &d->mpi, &key->group->grp->G)) {
		BN_clear_free(d);
		EC_POINT_free(q);
		return 0;
	}
	BN_clear_free(key->priv);
	EC_POINT_clear_free(key->pub);
	key->priv = d;
	key->pub = q;
	return 1;
}

ECDSA_SIG *ECDSA_SIG_new(void)
{
	ECDSA_SIG *sig = calloc(1, sizeof(*sig));

	if (sig != NULL) {
		sig->r = BN_new();
		sig->s = BN_new();
		if (sig->r == NULL || sig->s == NULL) {
			ECDSA_SIG_free(sig);
			sig = NULL;
		}
	}
	return sig;
}

void ECDSA_SIG_free(ECDSA_SIG *sig)
{
	if (sig != NULL) {
		BN_clear_free(sig->r);
		BN_clear_free(sig->s);
		free(sig);
	}
}

void ECDSA_SIG_get0(const ECDSA_SIG *sig, const BIGNUM **pr,
		    const BIGNUM **ps)
{
	if (pr != NULL) {
		*pr = sig->r;
	}
	if (ps != NULL) {
		*ps = sig->s;
	}
}

int ECDSA_SIG_set0(ECDSA_SIG *sig, BIGNUM *r, BIGNUM *s)
{
	if (r == NULL || s == NULL) {
		return 0;
	}
	BN_clear_free(sig->r);
	BN_clear_free(sig->s);
	sig->r = r;
	sig->s = s;
	return 1;
}

/*
 * mbedtls truncates the digest to the order's bit length exactly as
 * OpenSSL does (SEC 1 §4.1.3 step 5).
 */
ECDSA_SIG *ECDSA_do_sign(const unsigned char *dgst, int dgst_len,
			 EC_KEY *eckey)
{
	ECDSA_SIG *sig;

	if (dgst_len < 0 || eckey->group == NULL || eckey->priv == NULL) {
		return NULL;
	}
	sig = ECDSA_SIG_new();
	if (sig == NULL) {
		return NULL;
	}
	if (mbedtls_ecdsa_sign(eckey->group->grp, &sig->r->mpi, &sig->s->mpi,
			       &eckey->priv->mpi, dgst, (size_t)dgst_len,
			       adapter_rng, NULL) != 0) {
		ECDSA_SIG_free(sig);
		return NULL;
	}
	return sig;
}

int ECDSA_do_verify(const unsigned char *dgst, int dgst_len,
		    const ECDSA_SIG *sig, EC_KEY *eckey)
{
	int ret;

	if (dgst_len < 0 || eckey->group == NULL || eckey->pub == NULL) {
		return -1;
	}
	ret = mbedtls_ecdsa_verify(eckey->group->grp, dgst, (size_t)dgst_len,
				   &eckey->pub->pt, &sig->r->mpi, &sig->s->mpi);
	if (ret == 0) {
		return 1;
	}
	return ret == MBEDTLS_ERR_ECP_VERIFY_FAILED ? 0 : -1;
}

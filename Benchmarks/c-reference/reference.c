// The "best-case payload in plain C" that crypto-bench compares against (issue targets):
//   Sodium_*: randombytes_buf nonce + the raw libsodium AEAD + a table-driven scalar base64url
//             codec, into preallocated buffers; decrypt = decode + open.
//   aes-*:    Laravel's complete payload with OpenSSL: random IV, AES, HMAC-SHA256 over the base64
//             texts (CBC), the JSON envelope and its base64; decrypt parses the JSON by position
//             (best case: the layout we wrote), checks the MAC in constant time, decrypts, unpads.
// Build: make bench-c (or crypto-bench builds nothing; it runs this binary when it exists).
// Usage: reference BUDGET_SECONDS BATCHES CIPHER[,CIPHER…] SIZE[,SIZE…]  → one JSON object.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Table-driven scalar codec: two characters per lookup when encoding (4096-entry pair tables),
// four pre-shifted 256-entry tables when decoding (invalid entries have the top bit set).
static uint16_t PAIRS_STD[4096], PAIRS_URL[4096];
static uint32_t D0[256], D1[256], D2[256], D3[256];
#define BAD 0x80000000u

static void tables(void) {
    for (int i = 0; i < 4096; i++) {
        PAIRS_STD[i] = (uint16_t)((uint8_t)STD[i >> 6] | (uint8_t)STD[i & 63] << 8);
        PAIRS_URL[i] = (uint16_t)((uint8_t)URL[i >> 6] | (uint8_t)URL[i & 63] << 8);
    }
    for (int i = 0; i < 256; i++) D0[i] = D1[i] = D2[i] = D3[i] = BAD;
    for (int i = 0; i < 64; i++) {
        uint8_t cs[2] = {(uint8_t)STD[i], (uint8_t)URL[i]};
        for (int k = 0; k < 2; k++) {
            D0[cs[k]] = (uint32_t)i << 18; D1[cs[k]] = (uint32_t)i << 12; D2[cs[k]] = (uint32_t)i << 6; D3[cs[k]] = (uint32_t)i;
        }
    }
}

static size_t b64_encode(const uint8_t *in, size_t n, char *out, const char *alphabet, int pad) {
    const uint16_t *pairs = alphabet == STD ? PAIRS_STD : PAIRS_URL;
    size_t i = 0, o = 0;
    for (; i + 3 <= n; i += 3, o += 4) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        uint16_t a = pairs[v >> 12], b = pairs[v & 0xFFF];
        memcpy(out + o, &a, 2); memcpy(out + o + 2, &b, 2);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18]; out[o++] = alphabet[(v >> 12) & 63];
        if (pad) { out[o++] = '='; out[o++] = '='; }
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18]; out[o++] = alphabet[(v >> 12) & 63]; out[o++] = alphabet[(v >> 6) & 63];
        if (pad) out[o++] = '=';
    }
    return o;
}

static long b64_decode(const char *text, size_t n, uint8_t *out) {
    const uint8_t *in = (const uint8_t *)text;
    while (n > 0 && in[n - 1] == '=') n--;
    size_t i = 0, o = 0;
    for (; i + 4 <= n; i += 4, o += 3) {
        uint32_t v = D0[in[i]] | D1[in[i + 1]] | D2[in[i + 2]] | D3[in[i + 3]];
        if (v & BAD) return -1;
        out[o] = (uint8_t)(v >> 16); out[o + 1] = (uint8_t)(v >> 8); out[o + 2] = (uint8_t)v;
    }
    if (n - i == 2 || n - i == 3) {
        uint32_t v = D0[in[i]] | D1[in[i + 1]] | (n - i == 3 ? D2[in[i + 2]] : 0);
        if (v & BAD) return -1;
        out[o++] = (uint8_t)(v >> 16);
        if (n - i == 3) out[o++] = (uint8_t)(v >> 8);
    } else if (n - i == 1) return -1;
    return (long)o;
}

typedef struct {
    const char *name;
    int kind;  // 0 AEGIS256, 1 AEGIS128L, 2 AES256GCM, 3 XChaCha, 4 SecretBox, 10 CBC256, 11 GCM256
    size_t size;
    uint8_t key[32], *plain, *raw, *opened;
    char *text, *json, *json_text;
    size_t text_len, json_len, json_text_len;
} Row;

static size_t nonce_size(int k) { return k == 0 ? 32 : k == 1 ? 16 : k == 2 ? 12 : 24; }
static size_t tag_size(int k) { return k <= 1 ? 32 : 16; }

static void sodium_seal(Row *r) {
    size_t ns = nonce_size(r->kind);
    uint8_t *n = r->raw, *c = r->raw + ns;
    randombytes_buf(n, ns);
    switch (r->kind) {
    case 0: crypto_aead_aegis256_encrypt(c, NULL, r->plain, r->size, n, ns, NULL, n, r->key); break;
    case 1: crypto_aead_aegis128l_encrypt(c, NULL, r->plain, r->size, n, ns, NULL, n, r->key); break;
    case 2: crypto_aead_aes256gcm_encrypt(c, NULL, r->plain, r->size, n, ns, NULL, n, r->key); break;
    case 3: crypto_aead_xchacha20poly1305_ietf_encrypt(c, NULL, r->plain, r->size, n, ns, NULL, n, r->key); break;
    case 4: crypto_secretbox_easy(c, r->plain, r->size, n, r->key); break;
    }
    r->text_len = b64_encode(r->raw, ns + r->size + tag_size(r->kind), r->text, URL, 0);
}

static int sodium_open(Row *r) {
    long len = b64_decode(r->text, r->text_len, r->raw);
    size_t ns = nonce_size(r->kind);
    if (len < (long)(ns + tag_size(r->kind))) return -1;
    uint8_t *n = r->raw, *c = r->raw + ns;
    unsigned long long clen = (unsigned long long)len - ns;
    switch (r->kind) {
    case 0: return crypto_aead_aegis256_decrypt(r->opened, NULL, NULL, c, clen, n, ns, n, r->key);
    case 1: return crypto_aead_aegis128l_decrypt(r->opened, NULL, NULL, c, clen, n, ns, n, r->key);
    case 2: return crypto_aead_aes256gcm_decrypt(r->opened, NULL, NULL, c, clen, n, ns, n, r->key);
    case 3: return crypto_aead_xchacha20poly1305_ietf_decrypt(r->opened, NULL, NULL, c, clen, n, ns, n, r->key);
    default: return crypto_secretbox_open_easy(r->opened, c, clen, n, r->key);
    }
}

static void hex(const uint8_t *in, size_t n, char *out) {
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) { out[2 * i] = d[in[i] >> 4]; out[2 * i + 1] = d[in[i] & 15]; }
}

static void laravel_seal(Row *r) {
    int gcm = r->kind == 11;
    size_t ivs = gcm ? 12 : 16, clen = gcm ? r->size : (r->size / 16 + 1) * 16;
    uint8_t iv[16], tag[16], *c = r->raw;
    randombytes_buf(iv, ivs);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int w = 0;
    EVP_EncryptInit_ex(ctx, gcm ? EVP_aes_256_gcm() : EVP_aes_256_cbc(), NULL, r->key, iv);
    EVP_EncryptUpdate(ctx, c, &w, r->plain, (int)r->size);
    int f = 0;
    EVP_EncryptFinal_ex(ctx, c + w, &f);
    if (gcm) EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
    EVP_CIPHER_CTX_free(ctx);
    char *j = r->json;
    size_t o = 0;
    memcpy(j, "{\"iv\":\"", 7); o = 7;
    size_t iv_at = o; o += b64_encode(iv, ivs, j + o, STD, 1); size_t iv_len = o - iv_at;
    memcpy(j + o, "\",\"value\":\"", 11); o += 11;
    size_t v_at = o; o += b64_encode(c, clen, j + o, STD, 1); size_t v_len = o - v_at;
    memcpy(j + o, "\",\"mac\":\"", 9); o += 9;
    if (!gcm) {
        HMAC_CTX *h = HMAC_CTX_new();
        unsigned char mac[32]; unsigned ml = 32;
        HMAC_Init_ex(h, r->key, 32, EVP_sha256(), NULL);
        HMAC_Update(h, (uint8_t *)j + iv_at, iv_len); HMAC_Update(h, (uint8_t *)j + v_at, v_len);
        HMAC_Final(h, mac, &ml); HMAC_CTX_free(h);
        hex(mac, 32, j + o); o += 64;
    }
    memcpy(j + o, "\",\"tag\":\"", 9); o += 9;
    if (gcm) o += b64_encode(tag, 16, j + o, STD, 1);
    memcpy(j + o, "\"}", 2); o += 2;
    r->json_len = o;
    r->json_text_len = b64_encode((uint8_t *)j, o, r->json_text, STD, 1);
}

static const char *field(const char *j, size_t n, const char *name, size_t *len) {
    const char *p = memmem(j, n, name, strlen(name));
    if (!p) return NULL;
    p += strlen(name);
    const char *e = memchr(p, '"', (size_t)(j + n - p));
    if (!e) return NULL;
    *len = (size_t)(e - p);
    return p;
}

static int laravel_open(Row *r) {
    int gcm = r->kind == 11;
    long jl = b64_decode(r->json_text, r->json_text_len, (uint8_t *)r->json);
    if (jl < 0) return -1;
    size_t ivl, vl, ml, tl;
    const char *ivt = field(r->json, (size_t)jl, "\"iv\":\"", &ivl), *vt = field(r->json, (size_t)jl, "\"value\":\"", &vl);
    const char *mt = field(r->json, (size_t)jl, "\"mac\":\"", &ml), *tt = field(r->json, (size_t)jl, "\"tag\":\"", &tl);
    if (!ivt || !vt || !mt || !tt) return -1;
    uint8_t iv[24], tag[24];
    if (b64_decode(ivt, ivl, iv) != (gcm ? 12 : 16)) return -1;
    if (!gcm) {
        HMAC_CTX *h = HMAC_CTX_new();
        unsigned char mac[32]; unsigned mlen = 32; char mh[64];
        HMAC_Init_ex(h, r->key, 32, EVP_sha256(), NULL);
        HMAC_Update(h, (const uint8_t *)ivt, ivl); HMAC_Update(h, (const uint8_t *)vt, vl);
        HMAC_Final(h, mac, &mlen); HMAC_CTX_free(h);
        hex(mac, 32, mh);
        if (ml != 64 || CRYPTO_memcmp(mh, mt, 64) != 0) return -1;
    } else if (b64_decode(tt, tl, tag) != 16) return -1;
    long cl = b64_decode(vt, vl, r->raw);
    if (cl < 0) return -1;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int w = 0, f = 0, ok;
    EVP_DecryptInit_ex(ctx, gcm ? EVP_aes_256_gcm() : EVP_aes_256_cbc(), NULL, r->key, iv);
    EVP_DecryptUpdate(ctx, r->opened, &w, r->raw, (int)cl);
    if (gcm) EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag);
    ok = EVP_DecryptFinal_ex(ctx, r->opened + w, &f);
    EVP_CIPHER_CTX_free(ctx);
    return ok == 1 ? 0 : -1;
}

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

static double measure(Row *r, int open, double budget, int batches) {
    long calls = 0;
    double start = now();
    do {
        if (r->kind >= 10) { if (open) laravel_open(r); else laravel_seal(r); }
        else { if (open) sodium_open(r); else sodium_seal(r); }
        calls++;
    } while (now() - start < 20e6);
    double estimate = (now() - start) / calls;
    long per = (long)(budget * 1e9 / batches / estimate); if (per < 1) per = 1;
    double samples[64];
    if (batches > 64) batches = 64;
    for (int b = 0; b < batches; b++) {
        double t = now();
        for (long i = 0; i < per; i++) {
            if (r->kind >= 10) { if (open) laravel_open(r); else laravel_seal(r); }
            else { if (open) sodium_open(r); else sodium_seal(r); }
        }
        samples[b] = (now() - t) / per;
    }
    qsort(samples, batches, sizeof(double), cmp);
    return samples[batches / 2];
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) return 1;
    double budget = argc > 1 ? atof(argv[1]) : 0.3;
    int batches = argc > 2 ? atoi(argv[2]) : 9;
    char ciphers[1024] = "Sodium_AEGIS256GCM", sizes[256] = "1024";
    if (argc > 3) snprintf(ciphers, sizeof ciphers, "%s", argv[3]);
    if (argc > 4) snprintf(sizes, sizeof sizes, "%s", argv[4]);
    tables();
    static const struct { const char *name; int kind; } known[] = {
        {"Sodium_AEGIS256GCM", 0}, {"Sodium_AEGIS128LGCM", 1}, {"Sodium_AES256GCM", 2}, {"Sodium_XChaCha20Poly1305", 3},
        {"Sodium_SecretBox", 4}, {"aes-256-cbc", 10}, {"aes-256-gcm", 11}};
    printf("{\"results\":[");
    int first = 1;
    for (char *c = strtok(ciphers, ","); c; c = strtok(NULL, ",")) {
        int kind = -1;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) if (!strcmp(c, known[k].name)) kind = known[k].kind;
        if (kind < 0 || (kind == 2 && !crypto_aead_aes256gcm_is_available())) continue;
        char sizes_copy[256]; snprintf(sizes_copy, sizeof sizes_copy, "%s", sizes);
        char *save = NULL;
        for (char *s = strtok_r(sizes_copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
            Row r = {.name = c, .kind = kind, .size = (size_t)atol(s)};
            randombytes_buf(r.key, 32);
            size_t cap = r.size + 64;
            r.plain = calloc(cap, 1); memset(r.plain, 'a', r.size);
            r.raw = malloc(cap + 64); r.opened = malloc(cap + 64);
            r.text = malloc(cap * 2 + 64); r.json = malloc(cap * 2 + 256); r.json_text = malloc(cap * 3 + 512);
            if (kind >= 10) laravel_seal(&r); else sodium_seal(&r);
            int check = kind >= 10 ? laravel_open(&r) : sodium_open(&r);
            if (check != 0 || memcmp(r.opened, r.plain, r.size) != 0) { fprintf(stderr, "%s round trip failed\n", c); return 1; }
            double enc = measure(&r, 0, budget, batches);
            if (kind >= 10) laravel_seal(&r); else sodium_seal(&r);
            double dec = measure(&r, 1, budget, batches);
            printf("%s{\"cipher\":\"%s\",\"size\":%zu,\"op\":\"encrypt\",\"ns_median\":%.1f},"
                   "{\"cipher\":\"%s\",\"size\":%zu,\"op\":\"decrypt\",\"ns_median\":%.1f}",
                   first ? "" : ",", c, r.size, enc, c, r.size, dec);
            first = 0;
            free(r.plain); free(r.raw); free(r.opened); free(r.text); free(r.json); free(r.json_text);
        }
    }
    printf("]}\n");
    return 0;
}

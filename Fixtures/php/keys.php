<?php
// Key-file peer for Tests/PHPInteropTests: reads what `crypto-keys` wrote the way laravel-crypto's
// PHP side does (spec laravel-crypto.md §5.3: exactly 193 bytes, split once on PHP_EOL, hex2bin;
// .env keys as "base64:" + strict base64), signs and verifies with PHP's sodium extension, and
// encrypts a value under APP_KEY in laravel-crypto's v3 XChaCha20-Poly1305 format.
//
// stdin:  {"key_file": "<path>", "env": {"APP_KEY": "...", …}, "message": "...", "signature": "<hex from Swift>"}
// stdout: {"public_key": hex, "signature": hex, "verifies_swift": bool, "key_sizes": {...}, "payload": "..."}

$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);

$handle = fopen($input['key_file'], 'rb');
flock($handle, LOCK_SH);
$contents = fread($handle, 193);
flock($handle, LOCK_UN);
fclose($handle);
[$publicHex, $secretHex] = explode(PHP_EOL, $contents, 2);
$public = hex2bin($publicHex);
$secret = hex2bin($secretHex);
if (strlen($public) !== SODIUM_CRYPTO_SIGN_PUBLICKEYBYTES || strlen($secret) !== SODIUM_CRYPTO_SIGN_SECRETKEYBYTES) {
    throw new RuntimeException('bad key file');
}
if (sodium_crypto_sign_publickey_from_secretkey($secret) !== $public) {
    throw new RuntimeException('public key does not match secret key');
}

$sizes = [];
foreach ($input['env'] as $name => $value) {
    if (!str_starts_with($value, 'base64:')) {
        throw new RuntimeException("$name has no base64: prefix");
    }
    $raw = base64_decode(substr($value, 7), true);
    if ($raw === false) {
        throw new RuntimeException("$name is not strict base64");
    }
    $sizes[$name] = strlen($raw);
}

$message = $input['message'];
$appKey = base64_decode(substr($input['env']['APP_KEY'], 7), true);
$nonce = random_bytes(SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES);
$body = sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($message, $nonce, $nonce, $appKey);

echo json_encode([
    'public_key' => $publicHex,
    'signature' => bin2hex(sodium_crypto_sign_detached($message, $secret)),
    'verifies_swift' => sodium_crypto_sign_verify_detached(hex2bin($input['signature']), $message, $public),
    'key_sizes' => $sizes,
    'payload' => sodium_bin2base64($nonce . $body, SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING),
], JSON_THROW_ON_ERROR);

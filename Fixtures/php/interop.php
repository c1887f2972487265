<?php
// Interop peer for Tests/PHPInteropTests: real PHP on the other side of every payload.
//
// Reads one JSON request on stdin and writes one JSON answer on stdout:
//   {"cipher": "<Laravel config name>", "key": "<base64 of the raw key>",
//    "items": [{"op": "encrypt", "data": "<base64>"} | {"op": "encrypt", "value": <JSON value>}
//            | {"op": "decrypt", "payload": "...", "serialized": true|false}]}
// Answer: {"results": ["<payload>" | {"data": "<base64>"} | {"value": <JSON>} | {"error": "..."}]}
//
// aes-* ciphers use Laravel's real Illuminate\Encryption\Encrypter (Debian's
// php-illuminate-encryption). Sodium_* ciphers follow laravel-crypto v3 (spec §3.2) with PHP's
// own sodium extension: payload = base64url-nopad(nonce || body), AD = nonce.

require '/usr/share/php/Illuminate/Encryption/autoload.php';

$request = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$cipher = $request['cipher'];
$key = base64_decode($request['key'], true);

const SODIUM = [
    'Sodium_AES256GCM' => 12,
    'Sodium_XChaCha20Poly1305' => SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES,
    'Sodium_SecretBox' => SODIUM_CRYPTO_SECRETBOX_NONCEBYTES,
];

function sodium_encrypt(string $cipher, string $key, string $message): string {
    $nonce = random_bytes(SODIUM[$cipher]);
    $body = match ($cipher) {
        'Sodium_AES256GCM' => sodium_crypto_aead_aes256gcm_encrypt($message, $nonce, $nonce, $key),
        'Sodium_XChaCha20Poly1305' => sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($message, $nonce, $nonce, $key),
        'Sodium_SecretBox' => sodium_crypto_secretbox($message, $nonce, $key),
    };
    return sodium_bin2base64($nonce . $body, SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING);
}

function sodium_decrypt(string $cipher, string $key, string $payload): string {
    $raw = base64_decode(strtr($payload, '-_', '+/'), true);
    if ($raw === false) {
        throw new RuntimeException('invalid base64');
    }
    $size = SODIUM[$cipher];
    $nonce = substr($raw, 0, $size);
    $body = substr($raw, $size);
    $plain = match ($cipher) {
        'Sodium_AES256GCM' => sodium_crypto_aead_aes256gcm_decrypt($body, $nonce, $nonce, $key),
        'Sodium_XChaCha20Poly1305' => sodium_crypto_aead_xchacha20poly1305_ietf_decrypt($body, $nonce, $nonce, $key),
        'Sodium_SecretBox' => sodium_crypto_secretbox_open($body, $nonce, $key),
    };
    if ($plain === false) {
        throw new RuntimeException('Payload cannot be decrypted');
    }
    return $plain;
}

$laravel = isset(SODIUM[$cipher]) ? null : new Illuminate\Encryption\Encrypter($key, $cipher);
$results = [];
foreach ($request['items'] as $item) {
    try {
        if ($item['op'] === 'encrypt') {
            $serialize = array_key_exists('value', $item);
            $message = $serialize ? $item['value'] : base64_decode($item['data'], true);
            if ($laravel) {
                $results[] = $serialize ? $laravel->encrypt($message) : $laravel->encryptString($message);
            } else {
                $results[] = sodium_encrypt($cipher, $key, $serialize ? serialize($message) : $message);
            }
        } else {
            if ($laravel) {
                $plain = $laravel->decrypt($item['payload'], false);
            } else {
                $plain = sodium_decrypt($cipher, $key, $item['payload']);
            }
            $results[] = $item['serialized']
                ? ['value' => unserialize($plain)]
                : ['data' => base64_encode($plain)];
        }
    } catch (Throwable $e) {
        $results[] = ['error' => get_class($e) . ': ' . $e->getMessage()];
    }
}
echo json_encode(['results' => $results], JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION);

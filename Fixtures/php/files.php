<?php
// File, hashing and signing interop peer for Tests/PHPInteropTests/FilesInteropTests.swift.
//
// Follows laravel-crypto v3's file drivers, hashers and signers (spec §6 and §8 of
// shared/spec/laravel-crypto.md) with PHP's own sodium, hash and openssl functions. Binary fields
// travel as standard base64.
//
// Request on stdin: {"items": [{"op": "...", ...}, ...]}
// Answer on stdout: {"results": [<result> | {"error": "<class>: <message>"}, ...]}

const CHUNK = 8192;

function b(string $field): string {
    $bytes = base64_decode($field, true);
    if ($bytes === false) {
        throw new InvalidArgumentException('bad base64 in the request');
    }
    return $bytes;
}

// The feof-driven reader upstream uses, over a real temporary file (feof on plain files is what
// gives multiples of 8192 their empty final chunk): 8192 at a time.
function chunks(string $plain, bool $emptyFinal): array {
    $stream = tmpfile();
    fwrite($stream, $plain);
    rewind($stream);
    $out = [];
    while (!feof($stream)) {
        $chunk = fread($stream, CHUNK);
        $eof = feof($stream);
        if ($chunk === '' && !$emptyFinal) {
            break;
        }
        $out[] = [$chunk, $eof];
    }
    fclose($stream);
    return $out;
}

function secretstream_encrypt(string $key, string $plain): string {
    [$state, $header] = sodium_crypto_secretstream_xchacha20poly1305_init_push($key);
    $out = $header;
    foreach (chunks($plain, true) as [$chunk, $eof]) {
        $tag = $eof ? SODIUM_CRYPTO_SECRETSTREAM_XCHACHA20POLY1305_TAG_FINAL : SODIUM_CRYPTO_SECRETSTREAM_XCHACHA20POLY1305_TAG_MESSAGE;
        $out .= sodium_crypto_secretstream_xchacha20poly1305_push($state, $chunk, '', $tag);
    }
    return $out;
}

function secretstream_decrypt(string $key, string $file): string {
    $state = sodium_crypto_secretstream_xchacha20poly1305_init_pull(substr($file, 0, 24), $key);
    $out = '';
    $offset = 24;
    $final = false;
    while ($offset < strlen($file)) {
        $res = sodium_crypto_secretstream_xchacha20poly1305_pull($state, substr($file, $offset, CHUNK + 17));
        if ($res === false) {
            throw new RuntimeException('Payload cannot be decrypted');
        }
        $out .= $res[0];
        $final = $res[1] === SODIUM_CRYPTO_SECRETSTREAM_XCHACHA20POLY1305_TAG_FINAL;
        $offset += CHUNK + 17;
    }
    if (!$final) {
        throw new RuntimeException('no final chunk');
    }
    return $out;
}

function xsalsa_keys(string $key): array {
    return [sodium_crypto_kdf_derive_from_key(32, 1, 'XSalsaHm', $key), sodium_crypto_kdf_derive_from_key(32, 2, 'XSalsaHm', $key)];
}

function xsalsa_encrypt(string $key, string $plain): string {
    [$enc, $auth] = xsalsa_keys($key);
    $nonce = random_bytes(24);
    $out = $nonce;
    foreach (chunks($plain, true) as [$chunk, $eof]) {
        $c = sodium_crypto_stream_xor($chunk, $nonce, $enc);
        $out .= sodium_crypto_auth(($eof ? "\x01" : "\x00") . $nonce . $c, $auth) . $c;
        sodium_increment($nonce);
    }
    return $out;
}

function xsalsa_decrypt(string $key, string $file): string {
    [$enc, $auth] = xsalsa_keys($key);
    $nonce = substr($file, 0, 24);
    $out = '';
    for ($offset = 24; $offset < strlen($file); $offset += CHUNK + 32) {
        $chunk = substr($file, $offset, CHUNK + 32);
        $last = $offset + CHUNK + 32 >= strlen($file);
        $mac = substr($chunk, 0, 32);
        $c = substr($chunk, 32);
        if (!sodium_crypto_auth_verify($mac, ($last ? "\x01" : "\x00") . $nonce . $c, $auth)) {
            throw new RuntimeException('Corrupted chunk');
        }
        $out .= sodium_crypto_stream_xor($c, $nonce, $enc);
        sodium_increment($nonce);
    }
    return $out;
}

const NATIVE = [
    'Sodium_AES256GCM' => [12, 16], 'Sodium_XChaCha20Poly1305' => [24, 16], 'Sodium_SecretBox' => [24, 16],
    'aes-128-gcm' => [12, 16], 'aes-256-gcm' => [12, 16], 'aes-128-cbc' => [16, 32], 'aes-256-cbc' => [16, 32],
];

function native_chunk_encrypt(string $cipher, string $key, string $p, string $n): string {
    return match ($cipher) {
        'Sodium_AES256GCM' => sodium_crypto_aead_aes256gcm_encrypt($p, $n, $n, $key),
        'Sodium_XChaCha20Poly1305' => sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($p, $n, $n, $key),
        'Sodium_SecretBox' => sodium_crypto_secretbox($p, $n, $key),
        'aes-128-gcm', 'aes-256-gcm' => (function () use ($cipher, $key, $p, $n) {
            $ct = openssl_encrypt($p, $cipher, $key, OPENSSL_RAW_DATA, $n, $tag, '', 16);
            return $tag . $ct;
        })(),
        'aes-128-cbc', 'aes-256-cbc' => (function () use ($cipher, $key, $p, $n) {
            $ct = openssl_encrypt($p, $cipher, $key, OPENSSL_RAW_DATA, $n);
            return substr(hash_hmac('sha512/256', $ct, $key, true), 0, 16) . $ct;
        })(),
    };
}

function native_chunk_decrypt(string $cipher, string $key, string $c, string $n): string {
    $p = match ($cipher) {
        'Sodium_AES256GCM' => sodium_crypto_aead_aes256gcm_decrypt($c, $n, $n, $key),
        'Sodium_XChaCha20Poly1305' => sodium_crypto_aead_xchacha20poly1305_ietf_decrypt($c, $n, $n, $key),
        'Sodium_SecretBox' => sodium_crypto_secretbox_open($c, $n, $key),
        'aes-128-gcm', 'aes-256-gcm' => openssl_decrypt(substr($c, 16), $cipher, $key, OPENSSL_RAW_DATA, $n, substr($c, 0, 16)),
        'aes-128-cbc', 'aes-256-cbc' => hash_equals(substr(hash_hmac('sha512/256', substr($c, 16), $key, true), 0, 16), substr($c, 0, 16))
            ? openssl_decrypt(substr($c, 16), $cipher, $key, OPENSSL_RAW_DATA, $n) : false,
    };
    if ($p === false) {
        throw new RuntimeException('Payload cannot be decrypted');
    }
    return $p;
}

function native_encrypt(string $cipher, string $key, string $plain): string {
    $nonce = random_bytes(NATIVE[$cipher][0]);
    $out = $nonce;
    foreach (chunks($plain, false) as [$chunk, $eof]) {
        $out .= native_chunk_encrypt($cipher, $key, $chunk, $nonce);
        sodium_increment($nonce);
    }
    return $out;
}

function native_decrypt(string $cipher, string $key, string $file): string {
    [$size, $overhead] = NATIVE[$cipher];
    $nonce = substr($file, 0, $size);
    $out = '';
    for ($offset = $size; $offset < strlen($file); $offset += CHUNK + $overhead) {
        $out .= native_chunk_decrypt($cipher, $key, substr($file, $offset, CHUNK + $overhead), $nonce);
        sodium_increment($nonce);
    }
    return $out;
}

$request = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$results = [];
foreach ($request['items'] as $item) {
    try {
        $key = isset($item['key']) ? b($item['key']) : '';
        $results[] = match ($item['op']) {
            'encrypt' => base64_encode(match ($item['driver']) {
                'secretstream' => secretstream_encrypt($key, b($item['data'])),
                'xsalsa' => xsalsa_encrypt($key, b($item['data'])),
                default => native_encrypt($item['driver'], $key, b($item['data'])),
            }),
            'decrypt' => base64_encode(match ($item['driver']) {
                'secretstream' => secretstream_decrypt($key, b($item['data'])),
                'xsalsa' => xsalsa_decrypt($key, b($item['data'])),
                default => native_decrypt($item['driver'], $key, b($item['data'])),
            }),
            'hash' => [
                'blake2b' => rtrim(strtr(base64_encode(sodium_crypto_generichash(b($item['data']), $item['blakeKey'], 32)), '+/', '-_'), '='),
                'sha256' => hash('sha512/256', b($item['data'])),
                'sha512' => hash('sha512', b($item['data'])),
            ],
            'sign' => [
                'blake2b' => sodium_bin2base64(sodium_crypto_generichash(b($item['data']), $key, 32), SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING),
                'hmac256' => sodium_bin2base64(sodium_crypto_auth(b($item['data']), $key), SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING),
                'hmac512' => sodium_bin2base64(hash_hmac('sha512', b($item['data']), $key, true), SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING),
                'eddsa' => sodium_bin2base64(sodium_crypto_sign_detached(b($item['data']), b($item['secretKey'])), SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING),
            ],
            'verify_eddsa' => sodium_crypto_sign_verify_detached(
                base64_decode(strtr($item['signature'], '-_', '+/'), true), b($item['data']), b($item['publicKey'])),
        };
    } catch (Throwable $e) {
        $results[] = ['error' => get_class($e) . ': ' . $e->getMessage()];
    }
}
echo json_encode(['results' => $results], JSON_THROW_ON_ERROR);

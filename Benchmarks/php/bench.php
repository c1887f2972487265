<?php
// PHP side of crypto-bench: the same rows on this machine's PHP, timed the same way (median of
// batches after a warm-up), full payload in and out.
//   aes-*     Laravel's real Illuminate\Encryption\Encrypter (Debian php-illuminate-encryption)
//   Sodium_*  laravel-crypto v3's construction (spec §3.2): random nonce, the AEAD with the nonce
//             as associated data, sodium_bin2base64 URL-safe without padding; and back.
// Usage: php bench.php BUDGET_SECONDS BATCHES CIPHER[,CIPHER…] SIZE[,SIZE…]
// Prints one JSON object: {"php": version, "results": [{"cipher","size","op","ns_median","ns_p90"}]}

require '/usr/share/php/Illuminate/Encryption/autoload.php';

[$_, $budget, $batches, $ciphers, $sizes] = $argv + [null, '0.5', '7', 'aes-256-cbc', '1024'];
$budget = (float) $budget;
$batches = (int) $batches;

function sodium_row(string $cipher): ?array {
    $aead = [
        'Sodium_AES256GCM' => ['sodium_crypto_aead_aes256gcm_encrypt', 'sodium_crypto_aead_aes256gcm_decrypt', 12],
        'Sodium_XChaCha20Poly1305' => ['sodium_crypto_aead_xchacha20poly1305_ietf_encrypt', 'sodium_crypto_aead_xchacha20poly1305_ietf_decrypt', 24],
        'Sodium_AEGIS256GCM' => ['sodium_crypto_aead_aegis256_encrypt', 'sodium_crypto_aead_aegis256_decrypt', 32],
        'Sodium_AEGIS128LGCM' => ['sodium_crypto_aead_aegis128l_encrypt', 'sodium_crypto_aead_aegis128l_decrypt', 16],
    ];
    if ($cipher === 'Sodium_SecretBox') {
        $key = random_bytes(32);
        return [
            function (string $m) use ($key) {
                $n = random_bytes(24);
                return sodium_bin2base64($n . sodium_crypto_secretbox($m, $n, $key), SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING);
            },
            function (string $p) use ($key) {
                $raw = sodium_base642bin($p, SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING);
                return sodium_crypto_secretbox_open(substr($raw, 24), substr($raw, 0, 24), $key);
            },
        ];
    }
    if (!isset($aead[$cipher]) || !function_exists($aead[$cipher][0])) {
        return null;
    }
    [$enc, $dec, $size] = $aead[$cipher];
    if ($cipher === 'Sodium_AES256GCM' && !sodium_crypto_aead_aes256gcm_is_available()) {
        return null;
    }
    $key = random_bytes($cipher === 'Sodium_AEGIS128LGCM' ? 16 : 32);
    return [
        function (string $m) use ($key, $enc, $size) {
            $n = random_bytes($size);
            return sodium_bin2base64($n . $enc($m, $n, $n, $key), SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING);
        },
        function (string $p) use ($key, $dec, $size) {
            $raw = sodium_base642bin($p, SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING);
            $n = substr($raw, 0, $size);
            return $dec(substr($raw, $size), $n, $n, $key);
        },
    ];
}

function measure(callable $body, float $budget, int $batches): array {
    $calls = 0;
    $start = hrtime(true);
    do {
        $body();
        $calls++;
    } while (hrtime(true) - $start < 20e6);
    $estimate = (hrtime(true) - $start) / $calls;
    $perBatch = max(1, (int) ($budget * 1e9 / $batches / $estimate));
    $samples = [];
    for ($b = 0; $b < $batches; $b++) {
        $start = hrtime(true);
        for ($i = 0; $i < $perBatch; $i++) {
            $body();
        }
        $samples[] = (hrtime(true) - $start) / $perBatch;
    }
    sort($samples);
    return [$samples[intdiv(count($samples), 2)], $samples[min(count($samples) - 1, (int) ceil(count($samples) * 0.9) - 1)]];
}

$results = [];
foreach (explode(',', $ciphers) as $cipher) {
    if (str_starts_with($cipher, 'aes-')) {
        $laravel = new Illuminate\Encryption\Encrypter(Illuminate\Encryption\Encrypter::generateKey($cipher), $cipher);
        $row = [fn ($m) => $laravel->encryptString($m), fn ($p) => $laravel->decryptString($p)];
    } else {
        $row = sodium_row($cipher);
    }
    if ($row === null) {
        continue;
    }
    foreach (explode(',', $sizes) as $size) {
        $message = str_repeat('a', (int) $size);
        $payload = $row[0]($message);
        if ($row[1]($payload) !== $message) {
            throw new RuntimeException("$cipher round trip failed");
        }
        [$median, $p90] = measure(fn () => $row[0]($message), $budget, $batches);
        $results[] = ['cipher' => $cipher, 'size' => (int) $size, 'op' => 'encrypt', 'ns_median' => $median, 'ns_p90' => $p90];
        [$median, $p90] = measure(fn () => $row[1]($payload), $budget, $batches);
        $results[] = ['cipher' => $cipher, 'size' => (int) $size, 'op' => 'decrypt', 'ns_median' => $median, 'ns_p90' => $p90];
    }
}
echo json_encode(['php' => PHP_VERSION, 'results' => $results]), "\n";

<?php
// Per-user interop peer for Tests/PHPInteropTests/PerUserInteropTests.swift.
//
// Follows laravel-crypto v3's per-user code (spec §7 of shared/spec/laravel-crypto.md) with PHP's
// own sodium and mbstring functions, and Laravel's real Illuminate\Encryption\Encrypter for user
// values (Debian's php-illuminate-encryption). Binary fields travel as standard base64.
//
// Request on stdin: {"items": [{"op": "...", ...}, ...]}; JSON values travel as base64 JSON text so
// their key order is the sender's.
// Answer on stdout: {"php": "<version>", "results": [<result> | {"error": "<class>: <message>"}, ...]}

require '/usr/share/php/Illuminate/Encryption/autoload.php';

const DERIVATION = 'lc-user-key-wrap-v1';

function b(string $field): string {
    $bytes = base64_decode($field, true);
    if ($bytes === false) {
        throw new InvalidArgumentException('bad base64 in the request');
    }
    return $bytes;
}

// §7.9: a base64: key that decodes strictly gives its bytes, anything else is used as text.
function raw_app_key(string $appKey): string {
    if (str_starts_with($appKey, 'base64:')) {
        $decoded = base64_decode(substr($appKey, 7), true);
        if ($decoded !== false && $decoded !== '') {
            return $decoded;
        }
    }
    return $appKey;
}

// §2.1 parseKey, as AppKeyLoader reads APP_KEY for global blind indexes.
function parse_key(string $key): string {
    if (str_starts_with($key, 'base64:')) {
        return base64_decode(substr($key, 7), true);
    }
    $bytes = hex2bin($key);
    if ($bytes === false) {
        throw new RuntimeException('Application encryption key is not a valid hex string.');
    }
    return $bytes;
}

function server_wrapping_key(string $appKey, string $userId): string {
    $k = raw_app_key($appKey);
    $k = strlen($k) >= 32 ? substr($k, 0, 64) : sodium_pad($k, 32);
    return sodium_crypto_generichash(DERIVATION . $userId, $k, 32);
}

function wrap_password(string $u, string $password, int $ops, int $mem): string {
    $salt = random_bytes(16);
    $nonce = random_bytes(24);
    $w = sodium_crypto_pwhash(32, $password, $salt, $ops, $mem, SODIUM_CRYPTO_PWHASH_ALG_ARGON2ID13);
    return "\x01" . $salt . $nonce . sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($u, $salt . $nonce, $nonce, $w);
}

function unwrap_password(string $blob, string $password, int $ops, int $mem): string {
    if ($blob === '' || $blob[0] !== "\x01" || strlen($blob) !== 89) {
        throw new RuntimeException('not a password blob');
    }
    $salt = substr($blob, 1, 16);
    $nonce = substr($blob, 17, 24);
    $w = sodium_crypto_pwhash(32, $password, $salt, $ops, $mem, SODIUM_CRYPTO_PWHASH_ALG_ARGON2ID13);
    $u = sodium_crypto_aead_xchacha20poly1305_ietf_decrypt(substr($blob, 41), $salt . $nonce, $nonce, $w);
    if ($u === false) {
        throw new RuntimeException('Failed to unwrap encryption key: authentication tag mismatch.');
    }
    return $u;
}

function wrap_server(string $u, string $userId, string $appKey): string {
    $nonce = random_bytes(24);
    return "\x02" . $nonce . sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($u, $userId, $nonce, server_wrapping_key($appKey, $userId));
}

function unwrap_server(string $blob, string $userId, string $appKey): string {
    if ($blob === '' || $blob[0] !== "\x02" || strlen($blob) !== 73) {
        throw new RuntimeException('not a server blob');
    }
    $u = sodium_crypto_aead_xchacha20poly1305_ietf_decrypt(substr($blob, 25), $userId, substr($blob, 1, 24), server_wrapping_key($appKey, $userId));
    if ($u === false) {
        throw new RuntimeException('Failed to unwrap encryption key: authentication tag mismatch.');
    }
    return $u;
}

// §7.2 decodeToken: '' → null; lenient urlDecode (a TypeError upstream on bad characters); 32 bytes or null.
function decode_token(string $token): ?string {
    if ($token === '') {
        return null;
    }
    $bytes = base64_decode(strtr($token, '-_', '+/'), true);
    if ($bytes === false) {
        throw new TypeError('Base64::urlDecode(): Return value must be of type string, bool returned');
    }
    return strlen($bytes) === 32 ? $bytes : null;
}

function blind_index(string $k, string $value, string $column, bool $normalise, array $context): string {
    $ctx = substr(sodium_crypto_generichash($column, '', 16), 0, 8);
    $sub = sodium_crypto_kdf_derive_from_key(32, 1, $ctx, $k);
    $input = $normalise ? mb_strtolower(trim($value)) : $value;
    if ($context !== []) {
        $input .= '|' . implode('|', $context);
    }
    return sodium_crypto_generichash($input, $sub, 32);
}

function seal(string $u, string $appKey): string {
    $nonce = random_bytes(24);
    return base64_encode($nonce . sodium_crypto_secretbox($u, $nonce, substr(raw_app_key($appKey), 0, 32)));
}

function unseal(string $sealed, string $appKey): string {
    $bytes = base64_decode($sealed, true);
    if ($bytes === false || strlen($bytes) !== 72) {
        throw new RuntimeException('Invalid sealed key.');
    }
    $u = sodium_crypto_secretbox_open(substr($bytes, 24), substr($bytes, 0, 24), substr(raw_app_key($appKey), 0, 32));
    if ($u === false) {
        throw new RuntimeException('Failed to unseal job key.');
    }
    return $u;
}

function user_crypt(string $u): Illuminate\Encryption\Encrypter {
    return new Illuminate\Encryption\Encrypter($u, 'AES-256-CBC');
}

// laravel-crypto's SealedJobKey as PHP serializes it (__serialize gives ['blob' => …]); declared
// here under its real class name so serialize() writes exactly what a queued job carries.
eval(<<<'PHP'
namespace CodeLieutenant\LaravelCrypto\Encryption\UserKey;
final class SealedJobKey {
    public function __construct(private string $blob) {}
    public function __serialize(): array { return ['blob' => $this->blob]; }
    public function __unserialize(array $data): void { $this->blob = $data['blob']; }
    public function blob(): string { return $this->blob; }
}
PHP);

$request = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$results = [];
foreach ($request['items'] as $item) {
    try {
        $results[] = match ($item['op']) {
            'wrap_password' => base64_encode(wrap_password(b($item['key']), b($item['password']), $item['ops'], $item['mem'])),
            'unwrap_password' => base64_encode(unwrap_password(b($item['blob']), b($item['password']), $item['ops'], $item['mem'])),
            'wrap_server' => base64_encode(wrap_server(b($item['key']), $item['userId'], $item['appKey'])),
            'unwrap_server' => base64_encode(unwrap_server(b($item['blob']), $item['userId'], $item['appKey'])),
            'token' => rtrim(strtr(base64_encode(b($item['key'])), '+/', '-_'), '='),
            'decode_token' => ($key = decode_token($item['token'])) === null ? ['null' => true] : base64_encode($key),
            'blind_index' => base64_encode(blind_index(
                $item['mode'] === 'global' ? parse_key($item['appKey']) : b($item['key']),
                b($item['value']), $item['column'], $item['normalise'], $item['context'])),
            'lower' => base64_encode(mb_strtolower(trim(b($item['value'])))),
            'seal' => seal(b($item['key']), $item['appKey']),
            'unseal' => base64_encode(unseal($item['sealed'], $item['appKey'])),
            'serialize_sealed' => serialize(new CodeLieutenant\LaravelCrypto\Encryption\UserKey\SealedJobKey($item['sealed'])),
            'unserialize_sealed' => unserialize($item['text'])->blob(),
            'user_encrypt' => user_crypt(b($item['key']))->encryptString(b($item['text'])),
            'user_decrypt' => base64_encode(user_crypt(b($item['key']))->decryptString($item['payload'])),
            'user_json_encrypt' => user_crypt(b($item['key']))->encryptString(
                json_encode(json_decode(b($item['json']), true, 512, JSON_THROW_ON_ERROR), JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE)),
            'user_json_decrypt' => ['value' => json_decode(user_crypt(b($item['key']))->decryptString($item['payload']), true, 512, JSON_THROW_ON_ERROR)],
            // JSON text in (so key order survives the trip), PHP's own json_encode bytes out.
            'json_encode' => base64_encode(json_encode(json_decode(b($item['json']), true, 512, JSON_THROW_ON_ERROR),
                JSON_THROW_ON_ERROR | ($item['unescaped'] ? JSON_UNESCAPED_UNICODE : 0))),
            'json_decode' => ['value' => json_decode(b($item['json']), true, 512, JSON_THROW_ON_ERROR)],
        };
    } catch (Throwable $e) {
        $results[] = ['error' => get_class($e) . ': ' . $e->getMessage()];
    }
}
echo json_encode(['php' => PHP_VERSION, 'results' => $results], JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION);


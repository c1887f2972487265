<?php
// Writes Fixtures/laravel/previous-keys.json: payloads made by the real Laravel Encrypter
// (Debian's php-illuminate-encryption 8.83, whose encryption output is byte-identical to 11–13,
// spec laravel-native.md §9) under fixed keys, with the outcome Laravel 11+/12 gives when the app
// is configured with the recorded APP_KEY / APP_PREVIOUS_KEYS. Laravel 8 has no previous keys, so
// the outcomes follow the spec's rules (§2: split on ",", no trimming, empty and "0" pieces
// dropped, order kept; §5.3: current key first, then each previous key; a malformed previous key
// fails at boot). Regenerate with:  php Fixtures/php/make-previous-key-fixtures.php
// (IVs are random, so the payloads change; the outcomes must not.)

require '/usr/share/php/Illuminate/Encryption/autoload.php';
require '/usr/share/php/Illuminate/Cookie/autoload.php';

use Illuminate\Cookie\Middleware\EncryptCookies;
use Illuminate\Encryption\Encrypter;
use Symfony\Component\HttpFoundation\Cookie;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

class SerializingEncryptCookies extends EncryptCookies
{
    protected static $serialize = true;
}

$key = fn (string $label, int $size = 32) => substr(hash('sha256', "laravel-crypto-swift fixture $label", true), 0, $size);
$b64 = fn (string $raw) => 'base64:' . base64_encode($raw);

$current = $key('current');
$old = $key('old');
$older = $key('older');
$old16 = $key('old', 16);
$current16 = $key('current', 16);
$rawKey = '0123456789abcdef0123456789abcdef'; // an ASCII APP_KEY without "base64:", used as raw bytes

$cases = [];
$add = function (string $name, string $rule, string $cipher, string $under, string $appKey, string $previous,
                 string $outcome, $value = 'secret value', bool $serialize = false, bool $laravel5 = false) use (&$cases) {
    $encrypter = new Encrypter($under, $cipher);
    $payload = $serialize ? $encrypter->encrypt($value) : $encrypter->encryptString($value);
    if ($laravel5) {
        // Laravel 5.x-7.x: plain json_encode (slashes escaped as \/) and no "tag" member (§9.1).
        $fields = json_decode(base64_decode($payload), true);
        unset($fields['tag']);
        $payload = base64_encode(json_encode($fields));
    }
    $case = [
        'name' => $name,
        'rule' => $rule,
        'cipher' => $cipher,
        'APP_KEY' => $appKey,
        'APP_PREVIOUS_KEYS' => $previous,
        'payload' => $payload,
        'outcome' => $outcome,
    ];
    if ($outcome === 'decrypts') {
        $case['plaintext_base64'] = base64_encode($serialize ? serialize($value) : $value);
    }
    $cases[] = $case;
};

$add('current key, previous keys configured', '§5.3 current key first', 'aes-256-cbc', $current,
     $b64($current), $b64($old), 'decrypts');
$add('first previous key', '§5.3 then each previous key', 'aes-256-cbc', $old,
     $b64($current), $b64($old), 'decrypts');
$add('second previous key', '§2 order kept, §5.3', 'aes-256-cbc', $older,
     $b64($current), $b64($old) . ',' . $b64($older), 'decrypts');
$add('empty and "0" pieces are dropped', '§2 array_filter', 'aes-256-cbc', $older,
     $b64($current), ',' . $b64($old) . ',,0,' . $b64($older) . ',', 'decrypts');
$add('key no longer listed', '§5.3 no key authenticates', 'aes-256-cbc', $older,
     $b64($current), $b64($old), 'decrypt-error');
$add('no previous keys', '§2 empty APP_PREVIOUS_KEYS', 'aes-256-cbc', $old,
     $b64($current), '', 'decrypt-error');
$add('space after the comma', '§2 no trimming: " base64:…" is a raw key of the wrong size', 'aes-256-cbc', $older,
     $b64($current), $b64($old) . ', ' . $b64($older), 'config-error');
$add('raw ASCII previous key', '§2 text without "base64:" is the raw key', 'aes-256-cbc', $rawKey,
     $b64($current), $rawKey, 'decrypts');
$add('previous key of the wrong size', '§2 step 4, checked at boot', 'aes-256-cbc', $old,
     $b64($current), $b64($old16), 'config-error');
$add('GCM under a previous key', '§5.3 GCM tries each key', 'aes-256-gcm', $old,
     $b64($current), $b64($old), 'decrypts');
$add('AES-128-CBC under a previous key', '§5.3', 'aes-128-cbc', $old16,
     $b64($current16), $b64($old16), 'decrypts');
$add('AES-128-GCM, key no longer listed', '§5.3', 'aes-128-gcm', $old16,
     $b64($current16), '', 'decrypt-error');
$add('serialized array under a previous key', '§3 encrypt() serializes', 'aes-256-cbc', $old,
     $b64($current), $b64($old), 'decrypts', ['id' => 7, 'name' => 'Zoë', 'roles' => ['admin']], true);
$add('Laravel 5.x-7.x payload (escaped slashes, no tag) under a previous key', '§9.1', 'aes-256-cbc', $old,
     $b64($current), $b64($old), 'decrypts', str_repeat('/', 100), true, true);

// Cookies set by the real EncryptCookies middleware (php-illuminate-cookie 8.83) under a key,
// recorded as the Set-Cookie value; the outcome is what Laravel 11+ gives (§8.2: the payload may
// be under any key and the prefix may be made with any key; 8.x-10.x check the current key only).
$cookieCases = [];
$addCookie = function (string $name, string $rule, string $under, string $cookieName, string $value, bool $serialize,
                       string $presentedAs, string $appKey, string $previous, ?string $expected) use (&$cookieCases) {
    $encrypter = new Encrypter($under, 'aes-256-cbc');
    $middleware = $serialize ? new SerializingEncryptCookies($encrypter) : new EncryptCookies($encrypter);
    $response = $middleware->handle(Request::create('/'), function () use ($cookieName, $value) {
        $response = new Response('ok');
        $response->headers->setCookie(Cookie::create($cookieName, $value));
        return $response;
    });
    $header = (string) $response->headers->getCookies()[0];
    $cookieCases[] = [
        'name' => $name,
        'rule' => $rule,
        'cipher' => 'aes-256-cbc',
        'serialize' => $serialize,
        'set_cookie' => 'Set-Cookie: ' . $header,
        'cookie_value' => explode(';', explode('=', $header, 2)[1], 2)[0],
        'read_as' => $presentedAs,
        'APP_KEY' => $appKey,
        'APP_PREVIOUS_KEYS' => $previous,
        'expected' => $expected,
    ];
};
$addCookie('cookie under the current key', '§8.2', $current, 'laravel_session', 'sess-1', false,
           'laravel_session', $b64($current), $b64($old), 'sess-1');
$addCookie('cookie and prefix under a previous key', '§8.2 any key (11+)', $old, 'laravel_session', 'sess-2', false,
           'laravel_session', $b64($current), $b64($old), 'sess-2');
$addCookie('serialized cookie under a previous key', '§8.1 EncryptCookies::$serialize', $old, 'prefs', 'a:b', true,
           'prefs', $b64($current), $b64($old), 'a:b');
$addCookie('cookie under a key no longer listed', '§8.2 → null', $older, 'laravel_session', 'sess-3', false,
           'laravel_session', $b64($current), $b64($old), null);
$addCookie('cookie made for another name', '§8.2 prefix mismatch → null', $current, 'XSRF-TOKEN', 'tok', false,
           'laravel_session', $b64($current), '', null);

$out = [
    'generator' => 'Fixtures/php/make-previous-key-fixtures.php',
    'laravel_encrypter' => 'Illuminate\\Encryption\\Encrypter from Debian php-illuminate-encryption 8.83.26',
    'php' => PHP_VERSION,
    'cases' => $cases,
    'cookie_generator' => 'Illuminate\\Cookie\\Middleware\\EncryptCookies from Debian php-illuminate-cookie 8.83.26',
    'cookies' => $cookieCases,
];
file_put_contents(__DIR__ . '/../laravel/previous-keys.json',
                  json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
echo count($cases), " cases and ", count($cookieCases), " cookie cases written\n";

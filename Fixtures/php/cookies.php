<?php
// Cookie peer for Tests/PHPInteropTests: Laravel's real EncryptCookies middleware (Debian's
// php-illuminate-cookie 8.83 with Symfony HttpFoundation 5.4) on a real Request/Response.
//
// stdin:  {"cipher": "...", "key": "<base64 raw key>", "serialize": bool,
//          "encrypt": {"<name>": "<value>", …},   cookies the app sets on a response
//          "decrypt": {"<name>": "<value>", …}}   cookies a browser sends back (raw header values)
// stdout: {"set_cookie": {"<name>": {"value": "...", "header": "<Set-Cookie header>"}},
//          "decrypted": {"<name>": "<value>" | null}}

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

$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$encrypter = new Encrypter(base64_decode($input['key'], true), $input['cipher']);
$middleware = $input['serialize'] ? new SerializingEncryptCookies($encrypter) : new EncryptCookies($encrypter);

// Incoming: parse a Cookie header exactly as PHP does for a real request.
$header = implode('; ', array_map(fn ($n, $v) => "$n=$v", array_keys($input['decrypt'] ?? []), $input['decrypt'] ?? []));
$cookies = [];
foreach ($header === '' ? [] : explode('; ', $header) as $pair) {
    [$name, $value] = explode('=', $pair, 2);
    $cookies[$name] = rawurldecode($value);
}
$request = Request::create('/', 'GET', [], $cookies);

$decrypted = [];
$response = $middleware->handle($request, function (Request $request) use (&$decrypted, $input) {
    foreach (array_keys($input['decrypt'] ?? []) as $name) {
        $decrypted[$name] = $request->cookies->get($name);
    }
    $response = new Response('ok');
    foreach ($input['encrypt'] ?? [] as $name => $value) {
        $response->headers->setCookie(Cookie::create($name, $value));
    }
    return $response;
});

$set = [];
foreach ($response->headers->getCookies() as $cookie) {
    $set[$cookie->getName()] = ['value' => $cookie->getValue(), 'header' => 'Set-Cookie: ' . $cookie];
}
echo json_encode(['set_cookie' => (object) $set, 'decrypted' => (object) $decrypted], JSON_THROW_ON_ERROR);

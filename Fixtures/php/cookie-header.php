<?php
// PHP's own reading of `Cookie` headers, for CookieHeaderInteropTests.
//
// Run with the CLI: reads a JSON list of header values on stdin, starts PHP's built-in web server
// with this file as its router, sends each value as the one `Cookie` header of a request and prints
// a JSON list with, per header, the cookies PHP put in $_COOKIE: [name hex, value hex] pairs in
// $_COOKIE's order, array elements named as Laravel's EncryptCookies names them (`base[key]`).
// Under the built-in server: answers one request with that list.

function flatten(array $cookies, ?string $prefix, array &$out): void
{
    foreach ($cookies as $key => $value) {
        $name = $prefix === null ? (string) $key : $prefix . '[' . $key . ']';
        if (is_array($value)) {
            flatten($value, $name, $out);
        } else {
            $out[] = [bin2hex($name), bin2hex($value)];
        }
    }
}

if (PHP_SAPI === 'cli-server') {
    $out = [];
    flatten($_COOKIE, null, $out);
    header('Content-Type: application/json');
    echo json_encode($out);
    return true;
}

$headers = json_decode(stream_get_contents(STDIN), true);
$log = tempnam(sys_get_temp_dir(), 'cookie-header');
$server = proc_open(
    [PHP_BINARY, '-d', 'display_errors=0', '-S', '127.0.0.1:0', __FILE__],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'w'], 2 => ['file', $log, 'w']],
    $pipes
);
$port = null;
for ($tries = 0; $tries < 200 && $port === null; $tries++) {
    usleep(25000);
    if (preg_match('/http:\/\/127\.0\.0\.1:(\d+)/', (string) file_get_contents($log), $match)) {
        $port = (int) $match[1];
    }
}
if ($port === null) {
    fwrite(STDERR, "the built-in server did not start: " . file_get_contents($log));
    exit(1);
}

$answers = [];
foreach ($headers as $header) {
    $socket = fsockopen('127.0.0.1', $port, $errno, $error, 5);
    if ($socket === false) {
        fwrite(STDERR, "connect: $error\n");
        exit(1);
    }
    fwrite($socket, "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: $header\r\nConnection: close\r\n\r\n");
    $response = stream_get_contents($socket);
    fclose($socket);
    [$head, $body] = explode("\r\n\r\n", $response, 2) + [1 => ''];
    if (!str_starts_with($head, 'HTTP/1.0 200') && !str_starts_with($head, 'HTTP/1.1 200')) {
        fwrite(STDERR, "the server refused " . json_encode($header) . ": " . strtok($head, "\r\n") . "\n");
        exit(1);
    }
    $answers[] = json_decode($body, true);
}
proc_terminate($server, 9);
proc_close($server);
unlink($log);
echo json_encode($answers);

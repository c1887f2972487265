<?php
// Differential peer for the envelope's JSON reader: reads a JSON list of base64 texts on stdin
// and prints, for each, whether PHP's json_decode($text, true) returns an array (a JSON object
// or list) — what Laravel's Encrypter needs before it looks at the fields.
$texts = json_decode(stream_get_contents(STDIN), true);
$answers = [];
foreach ($texts as $encoded) {
    $text = base64_decode($encoded, true);
    $decoded = json_decode($text, true);
    $answers[] = is_array($decoded) && strlen($text) > 0 && ltrim($text, " \t\n\r")[0] === '{';
}
echo json_encode($answers);

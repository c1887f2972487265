<?php
// Differential peer for the PHP serialize reader: reads a JSON list of base64 texts on stdin and
// prints, for each, null when unserialize($text, ['allowed_classes' => false]) fails, or the value
// in a canonical text both sides can build: N; b0/b1; i<decimal>; d<16 hex digits of the IEEE
// bits>; s<base64>; a<count>{<key>=<value>...} with keys i<decimal> or s<base64>; o for objects;
// "cycle" past 600 levels (references can make an array hold itself).
function canonical($value, int $depth = 0): string {
    if ($depth > 600) return 'cycle';
    if ($value === null) return 'N';
    if (is_bool($value)) return $value ? 'b1' : 'b0';
    if (is_int($value)) return 'i' . $value;
    if (is_float($value)) return 'd' . bin2hex(pack('E', $value));
    if (is_string($value)) return 's' . base64_encode($value);
    if (is_array($value)) {
        $out = 'a' . count($value) . '{';
        foreach ($value as $key => $item) {
            $out .= (is_int($key) ? 'i' . $key : 's' . base64_encode($key)) . '=' . canonical($item, $depth + 1);
        }
        return $out . '}';
    }
    return 'o';
}
set_error_handler(fn() => true);
$texts = json_decode(stream_get_contents(STDIN), true);
$answers = [];
foreach ($texts as $encoded) {
    $text = base64_decode($encoded, true);
    $value = unserialize($text, ['allowed_classes' => false]);
    $answers[] = ($value === false && $text !== 'b:0;') ? null : canonical($value);
}
echo json_encode($answers);

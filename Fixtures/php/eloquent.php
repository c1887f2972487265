<?php
// Eloquent peer for Tests/IntegrationTests: Debian's real php-illuminate-database (Eloquent 8.83)
// writes and reads a model whose attributes use the `encrypted`, `encrypted:array` and
// `encrypted:json` casts, through PDO into SQLite or PostgreSQL.
//
// stdin:  {"connection": {"driver": "sqlite", "database": "<path>"} | {"driver": "pgsql", "host": …,
//          "port": …, "database": …, "username": …},
//          "table": "<table>", "cipher": "aes-256-cbc", "key": "<base64 raw key>",
//          "write": [{"id": 1, "secret": "…", "settings": {…}, "profile": […]}, …]}   (optional)
// stdout: {"rows": [{"id": 1, "secret": …, "settings": …, "profile": …}, …]}      every row, read back by Eloquent

require '/usr/share/php/Illuminate/Encryption/autoload.php';
require '/usr/share/php/Illuminate/Database/autoload.php';

use Illuminate\Database\Capsule\Manager as Capsule;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Encryption\Encrypter;

$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);

class EncryptedRecord extends Model
{
    public static string $tableName = 'records';
    public $timestamps = false;
    public $incrementing = false;
    protected $guarded = [];
    protected $casts = [
        'secret' => 'encrypted',
        'settings' => 'encrypted:array',
        'profile' => 'encrypted:json',
    ];

    public function getTable()
    {
        return static::$tableName;
    }
}

$capsule = new Capsule();
$capsule->addConnection($input['connection'] + ['charset' => 'utf8', 'prefix' => '']);
$capsule->setAsGlobal();
$capsule->bootEloquent();
EncryptedRecord::$tableName = $input['table'];
EncryptedRecord::encryptUsing(new Encrypter(base64_decode($input['key'], true), $input['cipher']));

foreach ($input['write'] ?? [] as $row) {
    (new EncryptedRecord($row))->save();
}

$rows = [];
foreach (EncryptedRecord::query()->orderBy('id')->get() as $record) {
    $rows[] = [
        'id' => (int) $record->id,
        'secret' => $record->secret,
        'settings' => $record->settings,
        'profile' => $record->profile,
    ];
}
echo json_encode(['rows' => $rows], JSON_THROW_ON_ERROR | JSON_PRESERVE_ZERO_FRACTION);

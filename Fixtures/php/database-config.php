<?php
// What a Laravel app connects to, for ReencryptLaravelConfigTests: reads a JSON list of `.env`
// variable sets on stdin and prints, per set, what the app's default connection resolves to.
//
// The connection settings are Laravel 11's default config/database.php (sqlite, pgsql, mysql,
// mariadb, sqlsrv), with the app at /srv/app; DB_URL (or DATABASE_URL, Laravel 10's name) goes
// through Laravel's own ConfigurationUrlParser, and a pgsql connection's libpq DSN comes from
// Laravel's own PostgresConnector (Debian's php-illuminate-database). Per set, one of:
//   {"error": "…"}                                  the app cannot read its configuration
//   {"driver": "sqlite", "database": "…"}
//   {"driver": "pgsql", "dsn": "…", "username": …, "password": …}
//   {"driver": "…"}                                  any other driver

require_once '/usr/share/php/Illuminate/Support/autoload.php';
require_once '/usr/share/php/Illuminate/Database/autoload.php';

use Illuminate\Database\Connectors\PostgresConnector;
use Illuminate\Support\ConfigurationUrlParser;

final class DsnOnly extends PostgresConnector
{
    public function dsn(array $config): string
    {
        return $this->getDsn($config);
    }
}

function defaultConnections(callable $env): array
{
    $server = fn (string $driver, string $host, string $port) => [
        'driver' => $driver,
        'url' => $env('DB_URL') ?? $env('DATABASE_URL'),
        'host' => $env('DB_HOST') ?? $host,
        'port' => $env('DB_PORT') ?? $port,
        'database' => $env('DB_DATABASE') ?? 'laravel',
        'username' => $env('DB_USERNAME') ?? 'root',
        'password' => $env('DB_PASSWORD') ?? '',
    ];
    return [
        'sqlite' => [
            'driver' => 'sqlite',
            'url' => $env('DB_URL') ?? $env('DATABASE_URL'),
            'database' => $env('DB_DATABASE') ?? '/srv/app/database/database.sqlite',
            'prefix' => '',
        ],
        'mysql' => $server('mysql', '127.0.0.1', '3306'),
        'mariadb' => $server('mariadb', '127.0.0.1', '3306'),
        'pgsql' => $server('pgsql', '127.0.0.1', '5432') + [
            'charset' => 'utf8', 'prefix' => '', 'search_path' => 'public', 'sslmode' => 'prefer',
        ],
        'sqlsrv' => $server('sqlsrv', 'localhost', '1433'),
    ];
}

$answers = [];
foreach (json_decode(stream_get_contents(STDIN), true) as $variables) {
    // Laravel's env(): an unset variable gives the default (the sets never hold empty values).
    $env = fn (string $name) => $variables[$name] ?? null;
    $connections = defaultConnections($env);
    $name = $env('DB_CONNECTION') ?? 'sqlite';
    if (!isset($connections[$name])) {
        $answers[] = ['error' => "Database connection [$name] not configured."];
        continue;
    }
    try {
        $config = (new ConfigurationUrlParser())->parseConfiguration($connections[$name]);
    } catch (InvalidArgumentException $error) {
        $answers[] = ['error' => $error->getMessage()];
        continue;
    }
    switch ($config['driver']) {
        case 'sqlite':
            $answers[] = ['driver' => 'sqlite', 'database' => (string) $config['database']];
            break;
        case 'pgsql':
            $answers[] = [
                'driver' => 'pgsql', 'dsn' => (new DsnOnly())->dsn($config),
                'username' => isset($config['username']) ? (string) $config['username'] : null,
                'password' => isset($config['password']) ? (string) $config['password'] : null,
            ];
            break;
        default:
            $answers[] = ['driver' => (string) $config['driver']];
    }
}
echo json_encode($answers);

<?php

declare(strict_types=1);

use Botkit\Notifier\AccountRepository;
use Botkit\Notifier\MessageFormatter;
use Botkit\Notifier\TelegramClient;

require __DIR__ . '/../vendor/autoload.php';

Dotenv\Dotenv::createImmutable(dirname(__DIR__))->safeLoad();

header('Content-Type: application/json; charset=utf-8');

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$pdo = new PDO($_ENV['DB_DSN'], $_ENV['DB_USER'], $_ENV['DB_PASSWORD'], [
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
]);
$accounts = new AccountRepository($pdo);

switch ($path) {
    case '/amo/telegram/connect':
        $subdomain = (string)($_POST['subdomain'] ?? '');
        $token = (string)($_POST['bot_token'] ?? '');
        $chatId = (string)($_POST['chat_id'] ?? '');
        if ($subdomain === '' || $token === '' || $chatId === '') {
            http_response_code(422);
            echo json_encode(['ok' => false, 'error' => 'missing_fields']);
            break;
        }
        $telegram = new TelegramClient($token);
        $chat = $telegram->getChat($chatId);
        if ($chat === null) {
            echo json_encode(['ok' => false, 'error' => 'chat_not_found']);
            break;
        }
        $accounts->save($subdomain, $token, $chatId, (string)($_POST['events'] ?? 'lead_add,lead_status'));
        echo json_encode(['ok' => true, 'chat_title' => $chat['title'] ?? '']);
        break;

    case '/amo/telegram/status':
        $account = $accounts->find((string)($_POST['subdomain'] ?? ''));
        echo json_encode([
            'connected' => $account !== null,
            'chat_title' => $account['chat_title'] ?? '',
        ]);
        break;

    case '/amo/telegram/webhook':
        // amoCRM posts leads[add][0][id], leads[status][0][status_id], account[subdomain] ...
        $subdomain = (string)($_POST['account']['subdomain'] ?? '');
        $account = $accounts->find($subdomain);
        if ($account === null) {
            http_response_code(404);
            break;
        }
        $telegram = new TelegramClient($account['bot_token']);
        $formatter = new MessageFormatter($subdomain);
        foreach (['add', 'status'] as $event) {
            foreach ($_POST['leads'][$event] ?? [] as $lead) {
                $telegram->sendMessage($account['chat_id'], $formatter->lead($event, $lead));
            }
        }
        echo json_encode(['ok' => true]);
        break;

    default:
        http_response_code(404);
        echo json_encode(['ok' => false, 'error' => 'not_found']);
}

<?php

declare(strict_types=1);

namespace Botkit\Notifier;

use PDO;

final class AccountRepository
{
    public function __construct(private readonly PDO $pdo)
    {
    }

    /** @return array<string, string>|null */
    public function find(string $subdomain): ?array
    {
        $stmt = $this->pdo->prepare('SELECT * FROM accounts WHERE subdomain = ?');
        $stmt->execute([$subdomain]);
        $row = $stmt->fetch(PDO::FETCH_ASSOC);
        return $row === false ? null : $row;
    }

    public function save(string $subdomain, string $token, string $chatId, string $events): void
    {
        $stmt = $this->pdo->prepare(
            'INSERT INTO accounts (subdomain, bot_token, chat_id, events) VALUES (?, ?, ?, ?)
             ON CONFLICT (subdomain) DO UPDATE SET bot_token = excluded.bot_token,
             chat_id = excluded.chat_id, events = excluded.events'
        );
        $stmt->execute([$subdomain, $token, $chatId, $events]);
    }
}

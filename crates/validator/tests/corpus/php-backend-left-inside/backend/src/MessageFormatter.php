<?php

declare(strict_types=1);

namespace Botkit\Notifier;

final class MessageFormatter
{
    public function __construct(private readonly string $subdomain)
    {
    }

    /** @param array<string, mixed> $lead */
    public function lead(string $event, array $lead): string
    {
        $title = htmlspecialchars((string)($lead['name'] ?? ''), ENT_QUOTES);
        $url = sprintf('https://%s.amocrm.ru/leads/detail/%d', $this->subdomain, (int)($lead['id'] ?? 0));
        $budget = number_format((float)($lead['price'] ?? 0), 0, ',', ' ');
        $head = $event === 'add' ? '🆕 Новая сделка' : '➡️ Сделка перешла на другой этап';
        return sprintf("%s\n<b>%s</b>\nБюджет: %s ₽\n<a href=\"%s\">Открыть в CRM</a>", $head, $title, $budget, $url);
    }
}

<?php

declare(strict_types=1);

namespace Botkit\Notifier;

use GuzzleHttp\Client;
use GuzzleHttp\Exception\GuzzleException;

final class TelegramClient
{
    private Client $http;

    public function __construct(private readonly string $token)
    {
        $this->http = new Client([
            'base_uri' => 'https://api.telegram.org/bot' . $this->token . '/',
            'timeout' => 5.0,
        ]);
    }

    /** @return array<string, mixed>|null */
    public function getChat(string $chatId): ?array
    {
        try {
            $response = $this->http->post('getChat', ['json' => ['chat_id' => $chatId]]);
        } catch (GuzzleException) {
            return null;
        }
        $body = json_decode((string)$response->getBody(), true);
        return ($body['ok'] ?? false) ? $body['result'] : null;
    }

    public function sendMessage(string $chatId, string $html): bool
    {
        try {
            $this->http->post('sendMessage', ['json' => [
                'chat_id' => $chatId,
                'text' => $html,
                'parse_mode' => 'HTML',
                'disable_web_page_preview' => true,
            ]]);
            return true;
        } catch (GuzzleException) {
            return false;
        }
    }
}

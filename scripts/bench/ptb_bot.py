"""The python-telegram-bot side of `replytensor-bench telegram --peer`.

An ordinary python-telegram-bot 22.x bot: long polling (`Application.run_polling`) against the Bot API at
`--api-base`, concurrent updates on, a handler for messages that @mention the bot which asks an OpenAI-compatible
gateway (`POST {gateway}/chat/completions` with httpx, the HTTP client python-telegram-bot itself uses) and replies
to the message (`reply_parameters`). No rate limiter: the benchmark switches the emulator's rate rules off for both
bots. Secrets come from the environment: BENCH_TELEGRAM_TOKEN and BENCH_GATEWAY_KEY.

Run by the benchmark as: python scripts/bench/ptb_bot.py --api-base URL --gateway URL --model NAME --username NAME
"""

import argparse
import json
import os
import sys

import httpx
import telegram
from telegram import ReplyParameters, Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-base", required=True, help="the Bot API server, e.g. http://127.0.0.1:PORT")
    parser.add_argument("--gateway", required=True, help="the gateway's base URL, ending in /v1")
    parser.add_argument("--model", required=True)
    parser.add_argument("--username", required=True, help="the bot's username, without @")
    args = parser.parse_args()

    gateway = httpx.AsyncClient(
        base_url=args.gateway,
        headers={"Authorization": "Bearer " + os.environ["BENCH_GATEWAY_KEY"]},
        timeout=30.0,
        limits=httpx.Limits(max_connections=256, max_keepalive_connections=256),
    )

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        response = await gateway.post(
            "/chat/completions",
            json={"model": args.model, "messages": [{"role": "user", "content": message.text}], "stream": False},
        )
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
        await context.bot.send_message(
            chat_id=message.chat_id, text=text, reply_parameters=ReplyParameters(message_id=message.message_id)
        )

    async def close_gateway(_: Application) -> None:
        await gateway.aclose()

    application = (
        Application.builder()
        .token(os.environ["BENCH_TELEGRAM_TOKEN"])
        .base_url(args.api_base.rstrip("/") + "/bot")
        .concurrent_updates(True)
        .post_shutdown(close_gateway)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & filters.Mention(args.username), answer))
    print(json.dumps({"python_telegram_bot": telegram.__version__, "httpx": httpx.__version__,
                      "python": sys.version.split()[0]}), flush=True)
    # The same long-poll timeout as the replytensor side's poll_timeout_seconds.
    application.run_polling(allowed_updates=["message"], timeout=30)


if __name__ == "__main__":
    main()

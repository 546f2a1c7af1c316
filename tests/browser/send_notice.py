"""Send a message through the notify service, as any part of the platform would.

Run by the realtime scenario with the server's environment (same database, same Redis channel
layer, so the push reaches the sockets the server holds):
``python tests/browser/send_notice.py <username> <title> <summary>``; prints the message id.
"""

from __future__ import annotations

import sys


def main(username: str, title: str, summary: str) -> None:
    import django

    django.setup()

    from yigongti.platform.accounts.models import User
    from yigongti.platform.notify.services import notify

    user = User.objects.get(username=username)
    message = notify(
        "system.announcement",
        recipients=[user],
        context={"title": title, "publisher": "县卫健委", "summary": summary},
    )
    if message is None:
        raise SystemExit("消息未发送（类型不存在、已停用或没有接收人）")
    print(message.pk)


if __name__ == "__main__":
    main(*sys.argv[1:4])

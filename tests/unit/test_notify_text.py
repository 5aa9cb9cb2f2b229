"""What notifications may print and send: URLs without secrets, chat text that cannot ping."""

from __future__ import annotations

import pytest

from idolq.domain.targets import chat_body, discord_text, redact_text, redact_url, slack_text


@pytest.mark.parametrize(("url", "shown"), [
    ("https://hooks.example.com/notify", "https://hooks.example.com/notify"),
    ("https://user:s3cret@hooks.example.com/x", "https://***@hooks.example.com/x"),
    ("http://token@127.0.0.1:8080/x", "http://***@127.0.0.1:8080/x"),
    ("https://hooks.example.com/x?token=s3cret&a=1#frag", "https://hooks.example.com/x?***"),
    ("https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdEFGHijklMNOPqrstUVWX",
     "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/***"),
    ("https://discord.com/api/webhooks/123456789012345678/aB-cD_eF1gH2iJ3kL4mN5oP6",
     "https://discord.com/api/webhooks/***/***"),
    ("https://example.com/idolq-notifications-receiver",
     "https://example.com/idolq-notifications-receiver"),
    ("http://[::1]:99/x", "http://[::1]:99/x"),
    ("http://host:notaport/x", "***"),
])
def test_urls_are_printed_without_their_secrets(url, shown):
    assert redact_url(url) == shown


def test_every_url_in_an_error_message_is_redacted():
    message = "cannot reach https://u:pw@h.example/x?k=v: refused; see http://a:b@c/"
    assert redact_text(message) == ("cannot reach https://***@h.example/x?***: refused; see"
                                    " http://***@c/")


def test_slack_text_cannot_mention_a_channel_or_a_user():
    escaped = slack_text("Hi <!channel> <@U123> <!here> & <https://evil|click>")
    assert "<" not in escaped and ">" not in escaped
    assert escaped == ("Hi &lt;!channel&gt; &lt;@U123&gt; &lt;!here&gt; &amp; "
                       "&lt;https://evil|click&gt;")


def test_discord_text_cannot_mention_everyone_here_a_user_or_a_role():
    escaped = discord_text("@everyone @here <@123> <@!123> <@&456>")
    for mention in ("@everyone", "@here", "<@123>", "<@!123>", "<@&456>"):
        assert mention not in escaped
    assert escaped.replace("\u200b", "") == "@everyone @here <@123> <@!123> <@&456>"


def test_chat_bodies_escape_the_text_and_discord_bodies_allow_no_mentions():
    event = {"type": "task.created"}
    text = "[idolq] task.created: X-001 <!channel> @everyone"
    slack = chat_body("slack", text, event)
    discord = chat_body("discord", text, event)
    both = chat_body("json", text, event)
    assert slack == {"text": slack_text(text)}
    assert discord == {"content": discord_text(text), "allowed_mentions": {"parse": []}}
    assert both == {"text": slack_text(text), "content": discord_text(text),
                    "allowed_mentions": {"parse": []}, "event": event}
    assert chat_body("raw", text, event) is event

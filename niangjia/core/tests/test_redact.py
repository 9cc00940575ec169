"""#11 §4: application logs never contain ID numbers, phones or SMS codes."""

from __future__ import annotations

import logging
import logging.config

import pytest
from django.conf import settings

from niangjia.core import notify
from niangjia.core.redact import carries_pii, redact

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def test_application_logs_never_contain_id_numbers_or_phones(capsys):
    logging.config.dictConfig(settings.LOGGING)
    logger = logging.getLogger("niangjia.test_redact")
    logger.warning("person %s phone %s", ID_NUMBER, PHONE)
    logger.warning("old id 110105491231002 and +86 139-1234-5678")
    try:
        raise ValueError(f"bad id {ID_NUMBER}")
    except ValueError:
        logger.exception("lookup failed for %s", PHONE)
    err = capsys.readouterr().err
    assert "person 110105********002X phone 139****5678" in err
    assert "bad id 110105********002X" in err  # the traceback too
    for secret in (ID_NUMBER, PHONE, "110105491231002", "139-1234-5678"):
        assert secret not in err


def test_djangos_request_logs_are_redacted_too(capsys):
    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger("django.request").warning("Not Found: /x/?phone=%s", PHONE)
    logging.getLogger("django.server").info('"GET /x/?id=%s HTTP/1.1" 200 5', ID_NUMBER)
    err = capsys.readouterr().err
    assert "phone=139****5678" in err and "id=110105********002X" in err
    assert PHONE not in err and ID_NUMBER not in err


def test_redact_leaves_other_numbers_alone():
    assert redact("case 宁劳仲〔2026〕123号, 300.00 元, code 123456") == (
        "case 宁劳仲〔2026〕123号, 300.00 元, code 123456"
    )
    assert carries_pii("139 1234 5678") and carries_pii(ID_NUMBER.lower())
    assert not carries_pii("张三") and not carries_pii("2026")


def test_sms_console_backend_prints_and_never_logs_the_code(settings, capsys, caplog):
    settings.SMS_BACKEND = "niangjia.core.notify.ConsoleSMSBackend"
    with caplog.at_level(logging.DEBUG):
        notify.send_sms(PHONE, "您的签收码 482913，10 分钟内有效")
    assert "482913" in capsys.readouterr().out  # the developer sees it on the console
    assert "482913" not in caplog.text and PHONE not in caplog.text


def test_sms_disabled_backend_refuses_to_send():
    with pytest.raises(RuntimeError):
        notify.DisabledSMSBackend().send(PHONE, "x")

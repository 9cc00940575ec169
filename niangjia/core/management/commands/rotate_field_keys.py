from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from niangjia.core.keys import encrypted_columns, rotate_key_check, rotate_model
from niangjia.core.security import key_check_error


class Command(BaseCommand):
    help = (
        "用 FIELD_ENCRYPTION_KEY 列表中的第一个密钥重新加密全部个人信息字段（轮换密钥：新密钥放在最前，"
        "旧密钥保留在后，运行本命令后再删除旧密钥；删除前须单独设置 FIELD_HASH_KEY）"
    )

    def handle(self, *args, **options):
        if error := key_check_error():
            raise CommandError(error)
        for model, fields in encrypted_columns():
            count = rotate_model(model, fields)
            self.stdout.write(f"{model._meta.label}: {count} 行（{', '.join(fields)}）")
        rotate_key_check()
        self.stdout.write(self.style.SUCCESS("已用新密钥重新加密全部个人信息字段"))
        if not os.environ.get("FIELD_HASH_KEY"):
            # the default hash key derives from the last key of the list: dropping it would
            # change every blind index, and no lookup by ID number or phone would match
            self.stderr.write(
                self.style.WARNING(
                    "注意：未单独设置 FIELD_HASH_KEY。删除旧密钥前，请先把 FIELD_HASH_KEY 设为当前值"
                    "（默认由列表中最后一个密钥派生），否则按身份证号、手机号查找将全部失效。"
                )
            )

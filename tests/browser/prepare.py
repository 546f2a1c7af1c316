"""Prepare the database of the browser tests' server, in one process (one Django start-up).

Run by ``conftest.live_server`` with the server's environment (temporary ``YIGONGTI_VAR_DIR`` and
``DATABASE_URL``): ``python tests/browser/prepare.py <facts.json>``. It migrates, loads the demo
county (``demo-county --residents 300 --seed 5``), then adds what the scenarios need and cannot get
through the console, and writes those facts as JSON:

* a fresh account for the lockout scenario (nobody else logs in with it);
* confirmed TOTP devices with known keys for ``auditor`` and ``secadmin`` (三员 need a second
  factor; the test computes the code with ``django_otp.oath.totp``);
* one resident of doctor_qingshi's institution, with the ID number decrypted through the model;
* a doctor of the township centre who also practises at the lead hospital (多点执业: a second role
  whose 自定义机构集 is the lead hospital), for switching the current institution/role;
* the names the institution form needs (community, the township health centre as parent).
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

DEMO_RESIDENTS = 300
DEMO_SEED = 5
PASSWORD = "Yigongti@2026"
LOCKOUT_USERNAME = "lockout_probe"
MULTI_SITE_USERNAME = "doctor_multisite"


def main(out: Path) -> None:
    import django

    django.setup()

    from django.core.management import call_command
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yigongti.platform.accounts.models import Role, User
    from yigongti.platform.org.models import Institution
    from yigongti.platform.registry.models import Resident

    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo-county", residents=DEMO_RESIDENTS, seed=DEMO_SEED, no_account_list=True, verbosity=0)

    doctor = User.objects.select_related("institution").get(username="doctor_qingshi")
    home = doctor.institution
    assert home is not None

    probe = User(
        username=LOCKOUT_USERNAME,
        name="锁定测试",
        institution=home,
        must_change_password=False,
        password_changed_at=timezone.now(),
    )
    probe.set_password(PASSWORD)
    probe.save()
    probe.roles.add(Role.objects.get(code="doctor"))

    otp_keys = {}
    for username in ("auditor", "secadmin", "sysadmin"):
        key = secrets.token_hex(20)
        TOTPDevice.objects.filter(user__username=username).delete()
        TOTPDevice.objects.create(user=User.objects.get(username=username), name="身份验证器", key=key, confirmed=True)
        otp_keys[username] = key

    resident = Resident.objects.filter(home_institution=home, is_active=True).exclude(id_number="").order_by("id")[0]
    resident = Resident.objects.get(pk=resident.pk)  # decrypted by EncryptedTextField on load
    lead = Institution.objects.filter(community=home.community, parent__isnull=True).order_by("sort", "id").first()

    doctor_role = Role.objects.get(code="doctor")
    visiting = Role.objects.create(
        code="visiting_doctor",
        name="多点执业医生",
        data_scope="custom",
        permission_codes=list(doctor_role.permission_codes),
        description="浏览器测试：在牵头医院多点执业",
    )
    if lead is not None:
        visiting.custom_institutions.set([lead])
    multi = User(
        username=MULTI_SITE_USERNAME,
        name="多点执业测试",
        institution=home,
        must_change_password=False,
        password_changed_at=timezone.now(),
    )
    multi.set_password(PASSWORD)
    multi.save()
    multi.roles.add(doctor_role, visiting)

    facts = {
        "multi_site_username": MULTI_SITE_USERNAME,
        "password": PASSWORD,
        "lockout_username": LOCKOUT_USERNAME,
        "otp_keys": otp_keys,
        "resident": {"id": resident.pk, "name": resident.name, "id_number": resident.id_number},
        "community": home.community.name,
        "town_institution": home.name,
        "lead_institution": lead.name if lead else "",
        "division_code": home.division_code,
    }
    out.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

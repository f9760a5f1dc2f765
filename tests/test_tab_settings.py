"""The tab's sign-in settings: which app registration, resource and tenant SSO tokens are for."""

from __future__ import annotations

from netpuls.settings import ENTRA_OPENID_METADATA_URL, Settings

APP = "11111111-2222-3333-4444-555555555555"
TAB = "22222222-3333-4444-5555-666666666666"
TENANT = "0a0b0c0d-1111-2222-3333-444455556666"


def test_by_default_sso_is_for_the_bots_registration_on_its_public_host() -> None:
    settings = Settings(app_id=APP, public_base_url="https://Netpuls.Example.org/")

    assert settings.tab_client_id() == APP
    assert settings.tab_sso_resource() == f"api://netpuls.example.org/botid-{APP}"
    assert settings.tab_openid_metadata_url == ENTRA_OPENID_METADATA_URL
    assert ENTRA_OPENID_METADATA_URL.startswith("https://login.microsoftonline.com/common/v2.0/")


def test_a_registration_and_resource_of_its_own_are_taken_as_given() -> None:
    settings = Settings(app_id=APP, tab_app_id=TAB, tab_resource="api://tab.example.org/x")

    assert (settings.tab_client_id(), settings.tab_sso_resource()) == (
        TAB,
        "api://tab.example.org/x",
    )


def test_without_any_app_id_sso_is_off() -> None:
    settings = Settings(app_id="")

    assert (settings.tab_client_id(), settings.tab_sso_resource()) == ("", "")


def test_only_a_single_tenant_app_limits_the_tenant() -> None:
    single = Settings(
        app_id=APP, app_password="s", app_type="SingleTenant", app_tenant_id=TENANT.upper()
    )

    assert single.tab_tenant() == TENANT
    assert Settings(app_id=APP, app_tenant_id=TENANT).tab_tenant() is None  # MultiTenant

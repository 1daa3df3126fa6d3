"""Facilitators log in through JupyterHub when ``pmkit serve`` runs as a hub service.

JupyterHub starts ``pmkit serve`` as a managed service (``deploy/jupyterhub/``) and routes
``/services/pmkit/`` to it through its proxy. Parties and the room keep their signed links
and need no hub account. A facilitator's link is not enough on its own: the page also needs
a hub login, checked before any kernel starts, with the hub's OAuth for services (the flow
``jupyterhub.services.auth.HubOAuth`` implements, done here with the standard library so
the meeting server does not need JupyterHub installed):

1. a facilitator's page without a valid login is redirected to the hub's
   ``/hub/api/oauth2/authorize`` (the hub asks for its own login first);
2. the hub sends the browser back to the service's OAuth callback with a code, which the
   server exchanges (``POST /hub/api/oauth2/token``, the service's token as client secret)
   for an access token, kept in a cookie signed with the workspace's secret;
3. every facilitator page asks the hub who that token belongs to (``GET /hub/api/user``,
   cached for a minute) and admits it only with the access scope the hub grants for this
   service (``access:services!service=pmkit``, given to the facilitators' role).

The hub's settings come from the variables JupyterHub gives a managed service
(``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_CLIENT_ID``, ``JUPYTERHUB_API_URL``, ...).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from pmkit.i18n import _

__all__ = ["COOKIE", "HubConfig", "HubLogin", "hub_config"]

COOKIE = "pmkit-hub-login"
_STATE = "pmkit-hub-state"
_LOGIN_HOURS = 12
_CHECK_SECONDS = 60


@dataclass(frozen=True)
class HubConfig:
    """Where the hub is and who this service is, as JupyterHub tells a managed service."""

    api_url: str  # the hub's API, as this server reaches it
    api_token: str  # this service's token (the OAuth client secret)
    client_id: str
    prefix: str  # this service's path behind the proxy, e.g. /services/pmkit/
    callback: str  # the OAuth redirect path the hub knows for this service
    authorize: str  # the hub's authorize page, as the browser reaches it
    scopes: frozenset[str]  # any of these admits a facilitator


def hub_config(env: Mapping[str, str] | None = None) -> HubConfig | None:
    """The hub's settings when this process runs as a JupyterHub service, else None."""
    env = os.environ if env is None else env
    token, client = env.get("JUPYTERHUB_API_TOKEN", ""), env.get("JUPYTERHUB_CLIENT_ID", "")
    if not token or not client:
        return None
    prefix = env.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    name = env.get("JUPYTERHUB_SERVICE_NAME", "pmkit")
    scopes = json.loads(env.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES") or "[]") or [f"access:services!service={name}"]
    base = env.get("JUPYTERHUB_BASE_URL", "/").rstrip("/")
    return HubConfig(
        api_url=env.get("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api").rstrip("/"),
        api_token=token,
        client_id=client,
        prefix=prefix,
        callback=env.get("JUPYTERHUB_OAUTH_CALLBACK_URL") or prefix.rstrip("/") + "/oauth_redirect",
        authorize=f"{base}/hub/api/oauth2/authorize",
        scopes=frozenset(scopes),
    )


class HubLogin:
    """The hub login a facilitator's page needs (see the module)."""

    def __init__(self, config: HubConfig, secret: bytes) -> None:
        self.config = config
        self._signer = URLSafeTimedSerializer(secret, salt="pmkit-hub-login-v1")
        self._checked: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    @property
    def callback_path(self) -> str:
        return urllib.parse.urlsplit(self.config.callback).path

    def user(self, handler: Any) -> str | None:
        """The hub user logged in on this request, if the hub admits them to this service."""
        raw = handler.get_cookie(COOKIE)
        if not raw:
            return None
        try:
            token = str(self._signer.loads(raw, max_age=_LOGIN_HOURS * 3600))
        except BadSignature:
            return None
        with self._lock:
            seen = self._checked.get(token)
        if seen is not None and time.monotonic() - seen[0] < _CHECK_SECONDS:
            return seen[1]
        name = self._ask_hub(token)
        with self._lock:
            if len(self._checked) > 1000:  # forget old answers; they are asked again
                self._checked.clear()
            self._checked[token] = (time.monotonic(), name)
        return name

    def _ask_hub(self, token: str) -> str | None:
        try:
            model = self._api("GET", "/user", token=token)
        except (OSError, ValueError):
            return None
        scopes = set(model.get("scopes") or ())
        if not isinstance(model.get("name"), str) or not scopes & self.config.scopes:
            return None
        return str(model["name"])

    def _api(self, method: str, path: str, *, token: str | None = None, form: dict[str, str] | None = None) -> Any:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.config.api_url + path, data=data, method=method)
        request.add_header("Authorization", f"token {token or self.config.api_token}")
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 - the hub's own API
            return json.loads(reply.read().decode())

    def send_to_login(self, handler: Any) -> None:
        """Redirect to the hub's login, to come back to this page once logged in."""
        state = secrets.token_urlsafe(16)
        handler.set_cookie(_STATE, self._signer.dumps({"s": state, "n": handler.request.uri}),
                           path=self.config.prefix, httponly=True, samesite="Lax", secure=_https(handler))
        query = urllib.parse.urlencode({"client_id": self.config.client_id, "redirect_uri": self.config.callback,
                                        "response_type": "code", "state": state})
        handler.redirect(f"{self.config.authorize}?{query}")

    def finish_login(self, handler: Any) -> None:
        """The OAuth callback: exchange the hub's code for a token, keep it, go back."""
        code, state = handler.get_argument("code", ""), handler.get_argument("state", "")
        try:
            kept = self._signer.loads(handler.get_cookie(_STATE) or "", max_age=600)
        except BadSignature:
            kept = {}
        if not code or not state or not isinstance(kept, dict) or kept.get("s") != state:
            handler.set_status(403)
            message = _("The login did not complete; open your meeting link again.")
            handler.finish(f"<!doctype html><p>{message}</p>")
            return
        try:
            reply = self._api("POST", "/oauth2/token", form={
                "client_id": self.config.client_id, "client_secret": self.config.api_token,
                "grant_type": "authorization_code", "code": code, "redirect_uri": self.config.callback})
            token = str(reply["access_token"])
        except (OSError, ValueError, KeyError):
            handler.set_status(403)
            message = _("The hub did not confirm the login; open your meeting link again.")
            handler.finish(f"<!doctype html><p>{message}</p>")
            return
        handler.clear_cookie(_STATE, path=self.config.prefix)
        handler.set_cookie(COOKIE, self._signer.dumps(token), path=self.config.prefix, httponly=True,
                           samesite="Lax", expires_days=_LOGIN_HOURS / 24, secure=_https(handler))
        target = str(kept.get("n") or self.config.prefix)
        handler.redirect(target if target.startswith(self.config.prefix) else self.config.prefix)


def _https(handler: Any) -> bool:
    """Whether the browser reached the proxy over HTTPS (then the cookies are Secure)."""
    return bool(handler.request.protocol == "https"
                or handler.request.headers.get("X-Forwarded-Proto", "").lower() == "https")

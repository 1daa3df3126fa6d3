# JupyterHub in front of the pmkit meeting app.
#
# The hub starts `pmkit serve` as a managed service and its proxy routes
# /services/pmkit/ to it. Facilitators log in through the hub; their page needs that login
# in addition to their signed link (pmkit checks it with the hub's OAuth for services).
# Parties and the room open their signed links through the same proxy with no hub account.
#
# Everything site-specific comes from the environment (docs/deploy.md, "Deploying for a team"):
#
#   PMKIT_HUB_URL           where people reach the hub           (default http://127.0.0.1:8000)
#   PMKIT_HUB_API_URL       where the hub's API listens          (default http://127.0.0.1:8081)
#   PMKIT_HUB_PROXY_API_URL the proxy's own API                  (default http://127.0.0.1:8001)
#   PMKIT_HUB_STATE         folder for the hub's database, cookie secret and logs (default .)
#   PMKIT_HUB_FACILITATORS  hub users who may open facilitator pages, comma-separated
#   PMKIT_HUB_PASSWORD      their shared password (SharedPasswordAuthenticator, at least 8
#                           characters); replace the authenticator with your organisation's
#                           (OAuthenticator, LDAP) for real use, see below
#   PMKIT_SERVE_PORT        the port of `pmkit serve` on this machine (default 8866)
#   PMKIT_SERVE_COMMAND     how to run pmkit (default: pmkit), e.g. /opt/pmkit/.venv/bin/pmkit
#   CONFIGURABLE_HTTP_PROXY the proxy's program (default: .hub/node_modules/.bin/configurable-http-proxy
#                           of this checkout, as scripts/install-hub installs it)
#   PMKIT_WORKSPACE, PMKIT_DATABASE_URL, PMKIT_SECRET and every other PMKIT_ setting are
#   handed to `pmkit serve` as they are.
import os
import shlex
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub's config loader defines it

here = Path(__file__).resolve().parent
root = here.parent.parent
state = Path(os.environ.get("PMKIT_HUB_STATE", ".")).resolve()
port = int(os.environ.get("PMKIT_SERVE_PORT", "8866"))
facilitators = {u.strip() for u in os.environ.get("PMKIT_HUB_FACILITATORS", "").split(",") if u.strip()}

c.JupyterHub.bind_url = os.environ.get("PMKIT_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get("PMKIT_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("PMKIT_HUB_PROXY_API_URL", "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.command = [
    os.environ.get("CONFIGURABLE_HTTP_PROXY", str(root / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"))
]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# Who logs in. SharedPasswordAuthenticator ships with JupyterHub and needs no system
# accounts (PAM would need one per facilitator); only the facilitators named may log in.
# With an identity provider, use e.g. c.JupyterHub.authenticator_class = "generic-oauth".
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("PMKIT_HUB_PASSWORD") or None
c.Authenticator.allowed_users = facilitators

# Nobody gets a notebook server from this hub: it fronts the meeting app only.
c.JupyterHub.default_url = "/hub/home"
c.JupyterHub.allow_named_servers = False

settings = {k: v for k, v in os.environ.items() if k.startswith("PMKIT_") and not k.startswith("PMKIT_HUB_")}
command = shlex.split(os.environ.get("PMKIT_SERVE_COMMAND", "pmkit"))
c.JupyterHub.services = [
    {
        "name": "pmkit",
        "url": f"http://127.0.0.1:{port}",
        "command": [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        "environment": {**settings, "PATH": os.environ.get("PATH", "")},
        "cwd": str(state),
        "oauth_no_confirm": True,  # the facilitator already chose to open the meeting
        "display": True,
    }
]
# Logging in is not enough: a facilitator also needs this role's access to the service.
c.JupyterHub.load_roles = [
    {
        "name": "pmkit-facilitators",
        "description": "may open facilitator pages of the pmkit meeting app",
        "users": sorted(facilitators),
        "scopes": ["access:services!service=pmkit"],
    }
]

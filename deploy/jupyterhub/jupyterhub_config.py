"""JupyterHub for a class on one machine (``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py``).

The class is the one ``classroom.py create`` made under ``COURSE_HUB_ROOT``: its users
log in with their Unix password (PAM), and each one's JupyterLab runs as that user
(the local-process spawner), from this checkout's environment, which has the course
package and nbgrader's extensions. ``serve.py`` sets the environment variables below.

    COURSE_HUB_ROOT       the class's folder (default /srv/numpy-dl-hub)
    COURSE_HUB_IP         where the hub listens (default 127.0.0.1; 0.0.0.0 behind TLS)
    COURSE_HUB_PORT       the public port (default 8000)
    COURSE_HUB_API_PORT, COURSE_HUB_PROXY_API_PORT   the hub's and the proxy's own ports
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classroom import Classroom, user_env  # this folder is no package: found by its path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

classroom = Classroom.load(Path(os.environ.get("COURSE_HUB_ROOT", "/srv/numpy-dl-hub")))
ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")

c.JupyterHub.ip = ip
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}")
# The hub's own state, root only, beside the class's passwords.
c.JupyterHub.db_url = f"sqlite:///{classroom.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(classroom.state / "jupyterhub_cookie_secret")

# Real Unix accounts, and only the class's: its group, read at each login, so students
# added while the hub runs (classroom.py add) can log in at once.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {classroom.group}
c.Authenticator.admin_users = {classroom.instructor}
# Sessions (pam_systemd, pam_loginuid) need a full login system, which containers lack;
# the password check is all the hub needs.
c.PAMAuthenticator.open_sessions = False

# Each server is a process of its user, started from the class's Python environment,
# with its role's configuration: the exchange, and the course for the instructor.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(classroom.programs) / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    name: (lambda spawner, name=name: user_env(classroom, spawner.user.name)[name])
    for name in user_env(classroom, classroom.instructor)
}
# A busy machine starts JupyterLab slowly.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

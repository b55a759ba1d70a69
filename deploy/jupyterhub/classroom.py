"""A class on one machine: its Unix accounts, folders and Jupyter configuration (run as root).

    python deploy/jupyterhub/classroom.py create ROOT CLASS_LIST.csv --instructor NAME
                                         [--prefix nbc-] [--db-url URL] [--assignment ID ...]
    python deploy/jupyterhub/classroom.py add ROOT MORE_STUDENTS.csv
    python deploy/jupyterhub/classroom.py grade ROOT ASSIGNMENT
    python deploy/jupyterhub/classroom.py remove ROOT

A class list is nbgrader's (``id,first_name,last_name,email``). Every account is
``<prefix><id>``, so that a class never touches an account it did not make, and
gets a random password, kept in ``ROOT/hub/passwords.csv`` (root only). Everything
lives under ROOT:

    ROOT/hub/                     root only: the class, passwords, JupyterHub's state
    ROOT/home/<user>/             each user's home, 700
    ROOT/home/<instructor>/course the instructor's course folder, 700: sources, gradebook,
                                  submitted/, autograded/, feedback/, reports/
    ROOT/exchange/                nbgrader's exchange, 1777 (anyone adds, nobody deletes another's)
    ROOT/jupyter/{student,instructor}/  the Jupyter configuration each role's server reads
    ROOT/python/                  the Python every user's server runs (see ``shared_python``)

Grading runs as root on the instructor's behalf: the course's sandbox
(``graders.sandbox``) runs each student's kernel as a user of its own, which only
root can do. The instructor's source notebooks and configuration are then run by
root, so the instructor must be trusted like an administrator of the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graders.course_setup import BIN, assignment_ids, copy_course

DEFAULT_PREFIX = "nbc-"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
COURSE = "course"
# nbgrader's lab plugins that only an instructor needs; the news pop-up fetches from
# the internet, which a class server may not reach.
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"]
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
INSTRUCTOR_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.course_list"]


@dataclass
class Classroom:
    """A class on one machine, as written to ``ROOT/hub/class.json``."""

    root: Path
    prefix: str
    instructor: str
    students: list[str] = field(default_factory=list)
    db_url: str = ""  # empty: nbgrader's SQLite gradebook in the course folder
    programs: str = str(BIN)  # the folder of programs (python, nbgrader...) users run
    environment: str = sys.prefix  # the course's Python environment, with its Jupyter data

    # --- where things are
    @property
    def state(self) -> Path:
        return self.root / "hub"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def course(self) -> Path:
        return self.home(self.instructor) / COURSE

    @property
    def passwords(self) -> Path:
        return self.state / "passwords.csv"

    @property
    def group(self) -> str:
        """The Unix group of the class's accounts: who may log in to its hub."""
        return f"{self.prefix}class"

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.students]

    @property
    def python(self) -> Path:
        """Where ``shared_python`` makes an environment every user can run, if needed."""
        return self.root / "python"

    def home(self, user: str) -> Path:
        return self.root / "home" / user

    def jupyter_config(self, user: str) -> Path:
        """The Jupyter configuration folder that a user's server reads (JUPYTER_CONFIG_PATH)."""
        return self.root / "jupyter" / ("instructor" if user == self.instructor else "student")

    # --- saved and loaded
    def save(self) -> None:
        saved = {**asdict(self), "root": str(self.root)}
        (self.state / "class.json").write_text(json.dumps(saved, indent=1))

    @classmethod
    def load(cls, root: Path) -> Classroom:
        saved = json.loads((root / "hub" / "class.json").read_text())
        return cls(**{**saved, "root": root})


def read_class_list(path: Path, prefix: str) -> list[dict[str, str]]:
    """The class list's rows, each ``id`` made an account name with the class's prefix."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["id"] = prefix + row["id"].strip()
    return rows


def open_to_everyone(path: Path) -> bool:
    """Can any user run this file: is it, and every folder above it, open to others?"""
    path = path.resolve()
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in [path, *path.parents])


def shared_python(classroom: Classroom, system_python: str = "/usr/bin/python3") -> Path:
    """A Python every user of the class can run, with this environment's packages.

    This environment is the course's (installed as the README says). If its Python
    lives where other users cannot go (e.g. pyenv under /root), the class gets a
    virtual environment of the system's Python of the same version that reads this
    environment's packages (a .pth), with its programs (nbgrader, jupyter, alembic)
    written again for that Python. Returns the folder of programs users run.
    """
    if open_to_everyone(Path(sys.executable)) and open_to_everyone(Path(sys.prefix)):
        return BIN
    subprocess.run([system_python, "-m", "venv", "--without-pip", str(classroom.python)],
                   check=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    shared = classroom.python / "lib" / version / "site-packages"
    packages = sysconfig.get_path("purelib")
    # addsitedir, not a bare path: the packages' own .pth files (the editable course) count.
    (shared / "course-environment.pth").write_text(f"import site; site.addsitedir({packages!r})\n")
    python = classroom.python / "bin" / "python"
    for program in BIN.iterdir():
        first_line = program.read_bytes()[:300].split(b"\n", 1)[0] if program.is_file() else b""
        interpreter = first_line.removeprefix(b"#!").split(b" ")[0].decode(errors="replace")
        if first_line.startswith(b"#!") and Path(interpreter).parent.resolve() == BIN.resolve():
            copy = classroom.python / "bin" / program.name
            body = program.read_text().split("\n", 1)[1]
            copy.write_text(f"#!{python}\n{body}")
            copy.chmod(0o755)
    return classroom.python / "bin"


def run_as(classroom: Classroom, user: str, *command: str, cwd: Path | None = None,
           check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    """Run a command as a user of the class, in the environment their server gives them."""
    home = pwd.getpwnam(user).pw_dir
    environment = {**user_env(classroom, user), "HOME": home, "USER": user, "LANG": "C.UTF-8"}
    result = subprocess.run([RUNUSER, "-u", user, "--", *command], cwd=cwd or home,
                            env=environment, capture_output=True, text=True, input=input,
                            timeout=600)
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(command)} as {user} exited with {result.returncode}:\n"
                           f"{result.stdout}{result.stderr}")
    return result


def user_env(classroom: Classroom, user: str) -> dict[str, str]:
    """What a user's server and terminals need: the class's programs, the role's configuration
    and, named explicitly for a ``shared_python``, the environment's extensions and JupyterLab."""
    environment = Path(classroom.environment)
    return {"PATH": f"{classroom.programs}:/usr/local/bin:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": f"{classroom.jupyter_config(user)}:{environment}/etc/jupyter",
            "JUPYTER_PATH": str(environment / "share" / "jupyter"),
            "JUPYTERLAB_DIR": str(environment / "share" / "jupyter" / "lab")}


# --- accounts ---------------------------------------------------------------------------

def refuse_existing(users: list[str], group: str | None = None) -> None:
    """Stop before making anything if an account (or the class's group) exists already:
    a class never takes one over, and removing the class must never delete one."""
    taken = [user for user in users if _exists(pwd.getpwnam, user)]
    if group and _exists(grp.getgrnam, group):
        taken.append(f"group {group}")
    if taken:
        raise SystemExit(f"Already on this machine: {', '.join(taken)}; nothing was made · "
                         f"这些账户已存在，未做任何更改")


def _exists(lookup, name: str) -> bool:
    try:
        lookup(name)
    except KeyError:
        return False
    return True


def add_account(classroom: Classroom, user: str, full_name: str) -> str:
    """A Unix user with a private home under the class root; returns its new password."""
    refuse_existing([user])
    home = classroom.home(user)
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                    "--user-group", "--groups", classroom.group, "--comment", full_name, user],
                   check=True)
    home.chmod(0o700)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True)
    return password


def record_passwords(classroom: Classroom, passwords: dict[str, str]) -> None:
    """Add the new accounts' passwords to the root-only file the administrator hands out."""
    new = not classroom.passwords.exists()
    descriptor = os.open(classroom.passwords, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if new:
            writer.writerow(["user", "password"])
        writer.writerows(passwords.items())


def stop_processes_of(users: list[str], grace: float = 10) -> None:
    """Stop whatever the class's users still run (servers, kernels, terminals): politely,
    then, after ``grace`` seconds, for good."""
    uids = {pwd.getpwnam(user).pw_uid for user in users if _exists(pwd.getpwnam, user)}

    def running() -> list[int]:
        return [int(entry.name) for entry in Path("/proc").iterdir()
                if entry.name.isdigit() and _owner(entry) in uids]

    def send(signal_number: int) -> None:
        for pid in running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal_number)

    send(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while running() and time.monotonic() < deadline:
        time.sleep(0.2)
    send(signal.SIGKILL)


def _owner(process: Path) -> int | None:
    try:
        return process.stat().st_uid
    except OSError:
        return None


# --- the class --------------------------------------------------------------------------

def write_jupyter_config(classroom: Classroom) -> None:
    """What each role's server reads: the exchange for all; the course for the instructor;
    for students, no instructor tools."""
    for role in ("student", "instructor"):
        folder = classroom.root / "jupyter" / role
        (folder / "labconfig").mkdir(parents=True, exist_ok=True)
        nbgrader = [f"c.Exchange.root = {str(classroom.exchange)!r}"]
        disabled = [NEWS_PLUGIN]
        if role == "instructor":
            nbgrader.append(f"c.CourseDirectory.root = {str(classroom.course)!r}")
            if classroom.db_url:
                nbgrader.append(f"c.CourseDirectory.db_url = {classroom.db_url!r}")
        else:
            disabled += INSTRUCTOR_PLUGINS
            server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(
                INSTRUCTOR_SERVER_EXTENSIONS, False)}}
            (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1))
        (folder / "nbgrader_config.py").write_text("\n".join(["c = get_config()  # noqa: F821",
                                                             *nbgrader, ""]))
        (folder / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": dict.fromkeys(disabled, True)}, indent=1))


def create(root: Path, class_list: Path, instructor: str, prefix: str, db_url: str,
           assignments: list[str]) -> Classroom:
    """Make the class: accounts, folders, the instructor's course with its assignments generated."""
    rows = read_class_list(class_list, prefix)
    classroom = Classroom(root.resolve(), prefix, prefix + instructor, [], db_url)
    refuse_existing([classroom.instructor, *(row["id"] for row in rows)], classroom.group)
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    classroom.state.mkdir(mode=0o700, exist_ok=True)
    classroom.save()  # from here on, `remove` can undo what was made
    (root / "home").mkdir(exist_ok=True)
    classroom.exchange.mkdir(exist_ok=True)
    classroom.exchange.chmod(0o1777)
    subprocess.run(["groupadd", classroom.group], check=True)
    passwords = {classroom.instructor: add_account(classroom, classroom.instructor,
                                                   "Instructor · 教师")}
    classroom.programs = str(shared_python(classroom))
    classroom.save()
    write_jupyter_config(classroom)

    copy_course(classroom.course)
    classroom.course.chmod(0o700)
    subprocess.run(["chown", "-R", "--no-dereference", f"{classroom.instructor}:",
                    str(classroom.course)], check=True)
    passwords.update(add_students(classroom, rows))
    record_passwords(classroom, passwords)
    for assignment in assignments or assignment_ids(classroom.course):
        run_as(classroom, classroom.instructor, "nbgrader", "generate_assignment", assignment,
               cwd=classroom.course)
    return classroom


def add_students(classroom: Classroom, rows: list[dict[str, str]]) -> dict[str, str]:
    """Accounts for more students, and their names in the instructor's gradebook."""
    refuse_existing([row["id"] for row in rows])
    passwords = {}
    for row in rows:
        name = " ".join(filter(None, [row.get("first_name"), row.get("last_name")]))
        passwords[row["id"]] = add_account(classroom, row["id"], name or row["id"])
        classroom.students.append(row["id"])
        classroom.save()
    listed = classroom.course / "class_list.csv"
    with listed.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "first_name", "last_name", "email"],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    shutil.chown(listed, classroom.instructor, classroom.instructor)
    run_as(classroom, classroom.instructor, "nbgrader", "db", "student", "import", str(listed),
           cwd=classroom.course)
    return passwords


def grade(classroom: Classroom, assignment: str) -> int:
    """The class grading (``python -m graders.grade``), run by root in the instructor's course;
    what it wrote is then handed back to the instructor."""
    command = [str(BIN / "python"), "-m", "graders.grade", assignment, "--course",
               str(classroom.course), "--no-progress"]
    if classroom.db_url:
        command += ["--db-url", classroom.db_url]
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}",
           "JUPYTER_CONFIG_PATH": str(classroom.jupyter_config(classroom.instructor))}
    status = subprocess.run(command, cwd=classroom.course, env=env).returncode
    # -R without following links: the instructor's own links are changed, never their targets.
    subprocess.run(["chown", "-R", "--no-dereference", f"{classroom.instructor}:",
                    str(classroom.course)], check=True)
    return status


def remove(root: Path) -> None:
    """Undo ``create``: stop the users' processes, delete the accounts, their homes and ROOT."""
    if (root / "hub" / "class.json").exists():
        classroom = Classroom.load(root)
        stop_processes_of(classroom.users)
        for user in classroom.users:
            subprocess.run(["userdel", "--remove", user], capture_output=True)
        subprocess.run(["groupdel", classroom.group], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("create", help="accounts, folders and course for a class list")
    made.add_argument("root", type=Path)
    made.add_argument("class_list", type=Path)
    made.add_argument("--instructor", required=True, help="the instructor's id (prefixed too)")
    made.add_argument("--prefix", default=DEFAULT_PREFIX, help="of every account the class makes")
    made.add_argument("--db-url", default="", help="PostgreSQL gradebook (default: SQLite)")
    made.add_argument("--assignment", action="append", default=[],
                      help="generate only these (default: every assignment of the course)")
    more = commands.add_parser("add", help="accounts for more students")
    more.add_argument("root", type=Path)
    more.add_argument("class_list", type=Path)
    graded = commands.add_parser("grade", help="grade the collected submissions, as root")
    graded.add_argument("root", type=Path)
    graded.add_argument("assignment")
    removed = commands.add_parser("remove", help="delete the class's accounts, homes and ROOT")
    removed.add_argument("root", type=Path)
    args = parser.parse_args(argv)

    if os.geteuid() != 0:
        print("Run this as root: it makes Unix accounts · 请以 root 身份运行", file=sys.stderr)
        return 1
    if args.command == "create":
        classroom = create(args.root, args.class_list, args.instructor, args.prefix,
                           args.db_url, args.assignment)
        print(f"{len(classroom.students)} students and {classroom.instructor}; passwords in "
              f"{classroom.passwords} · 密码见 {classroom.passwords}")
    elif args.command == "add":
        classroom = Classroom.load(args.root)
        rows = read_class_list(args.class_list, classroom.prefix)
        record_passwords(classroom, add_students(classroom, rows))
    elif args.command == "grade":
        return grade(Classroom.load(args.root), args.assignment)
    else:
        remove(args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())

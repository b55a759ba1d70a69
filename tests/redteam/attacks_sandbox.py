"""Attacks on the sandbox itself: what the kernel can see, fill, and leave behind.

Each starts, like every red-team attack, from a notebook whose answers are all
wrong. ``reads_another_course_copy`` looks for the course's solutions anywhere on
the machine; its ``plant`` puts copies outside the course (where a second clone, a
backup or nbgrader's exchange could be) and ``remove_planted()`` must be called
once grading is over, since those folders are outside the test's temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from graders.sandbox import EXCHANGE_DEFAULT
from redteam.attacks import Attack, with_code
from redteam.targets import Target

# Outside the course, where another copy of it could lie on a real machine.
COPIES = (Path("/srv/graders-redteam-copy"), Path("/opt/graders-redteam-copy"),
          Path(EXCHANGE_DEFAULT) / "graders-redteam-copy")
_made: list[Path] = []  # the topmost folder each plant made, for remove_planted()


def copy_course_elsewhere(folder: Path, course: Path) -> None:
    """Plant copies of the course's solutions outside the course."""
    for place in COPIES:
        missing = [path for path in (place, *place.parents) if not path.exists()]
        if missing:
            _made.append(missing[-1])
        shutil.copytree(course / "solutions", place / "solutions", dirs_exist_ok=True)


def remove_planted() -> None:
    """Remove every copy ``copy_course_elsewhere`` made, and the folders it made for them
    (the copies even if an earlier, interrupted run left them)."""
    for place in COPIES:
        shutil.rmtree(place, ignore_errors=True)
    while _made:
        shutil.rmtree(_made.pop(), ignore_errors=True)


# What an attack found (``found``, code) is run now and again after every cell, so that
# it outlives the wrong answers below: it would score full marks if it found anything.
KEEP = """
def _keep(*_):
    try:
        exec(found.decode(), globals())
    except Exception:
        pass
_keep()
get_ipython().events.register('post_run_cell', _keep)
"""

KEYS = """
import ctypes, os
ADD_KEY, REQUEST_KEY, KEYCTL = {'x86_64': (248, 249, 250),
                                'aarch64': (217, 218, 219)}[os.uname().machine]
USER_KEYRING, SETPERM, SEARCH, READ = -4, 5, 10, 11
libc = ctypes.CDLL(None, use_errno=True)
def call(*args):
    result = libc.syscall(*args)
    return result if result >= 0 else -ctypes.get_errno()
"""

PLANT_KEY = KEYS + """
secret = ANSWERS.encode()
key = call(ADD_KEY, b'user', b'graders-redteam-answers', secret, len(secret), USER_KEYRING)
print('planted key:', key, call(KEYCTL, SETPERM, key, 0x3f3f3f3f) if key > 0 else '')
"""

READ_KEY = KEYS + """
key = call(KEYCTL, SEARCH, USER_KEYRING, b'user', b'graders-redteam-answers', 0)
if key < 0:  # a key left by a student of another slot, made readable by all
    for line in open('/proc/keys'):
        if 'graders-redteam-answers' in line:
            key = int(line.split()[0], 16)
found = b''
if key > 0:
    buffer = ctypes.create_string_buffer(65536)
    size = call(KEYCTL, READ, key, buffer, len(buffer))
    found = buffer.raw[:max(size, 0)]
print('keyring secret:', len(found), 'bytes')
""" + KEEP

READ_COPIES = """
import json, os
skip = {'/proc', '/sys', '/dev', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib64'}
found, stolen = [], []
skip.add(os.getcwd())  # this submission's own folder
for top, dirs, files in os.walk('/'):
    dirs[:] = [name for name in dirs if os.path.join(top, name) not in skip
               and name not in ('site-packages', 'node_modules')]
    for name in files:
        if name.endswith('.ipynb'):
            try:
                cells = json.load(open(os.path.join(top, name)))['cells']
            except Exception:
                continue
            for cell in cells:
                if cell.get('metadata', {}).get('nbgrader', {}).get('solution'):
                    found.append(os.path.join(top, name))
                    stolen.append(''.join(cell['source']))
print('solutions found elsewhere:', sorted(set(found)))
found = '\\n\\n'.join(stolen).encode()
""" + KEEP

# Writes everywhere it can (its folder, /tmp, HOME, /dev/shm, its IPC folder), at most
# 1 GiB and 20,000 folders in all, so that a broken sandbox cannot fill the machine.
FILL_SCRATCH = """
import errno, json, os
from ipykernel.connect import get_connection_file
places = ['/tmp', '.', os.path.expanduser('~'), '/dev/shm',
          os.path.dirname(json.load(open(get_connection_file()))['ip'])]
written, stopped = 0, {}
for place in places:
    try:
        while written < 128:
            with open(os.path.join(place, f'fill-{written}'), 'wb') as handle:
                handle.write(b'x' * 2**23)
            written += 1
    except OSError as error:
        stopped[place] = errno.errorcode.get(error.errno)
made = 0
try:
    while made < 20_000:
        os.mkdir(f'/tmp/fill-dir-{made}')
        made += 1
except OSError as error:
    stopped['folders'] = errno.errorcode.get(error.errno)
print('filled:', written * 8, 'MiB and', made, 'folders; stopped by', stopped)
"""

def sandbox_attacks(target: Target) -> list[Attack]:
    """Looking for answers outside the box, filling it, and leaving answers for later kernels."""
    # The right answers, as code: what an earlier student could leave for a later one.
    answers = "\n\n".join(target.solved(function) for function in target.functions)
    return [
        Attack("reads_another_course_copy", "read", with_code(READ_COPIES, target.first),
               plant=copy_course_elsewhere),
        Attack("fills_scratch_space", "resources", with_code(FILL_SCRATCH, target.first)),
        Attack("plants_a_keyring_secret", "persistence",
               with_code(PLANT_KEY.replace("ANSWERS", repr(answers)), target.first)),
        Attack("reads_a_keyring_secret", "read", with_code(READ_KEY, target.first)),
    ]

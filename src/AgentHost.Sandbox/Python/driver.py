# AgentHost sandbox REPL driver. Runs inside bubblewrap as an unprivileged user and executes Python "cells" sent by
# the host, keeping one namespace across cells like a notebook.
#
# Frames, both ways: u32 header length, header JSON (UTF-8), u32 body length, body bytes (all big-endian).
#   host -> driver: {"op":"exec"} body=code | {"op":"put","name":...} body=bytes | {"op":"remove","name":...}
#                   {"op":"interrupt","reason":...}
#   driver -> host: {"type":"ready"} | {"type":"out"} body=raw stdout/stderr bytes | {"type":"image"} body=PNG
#                   {"type":"file","name":...} body=bytes | {"type":"removed","name":...} | {"type":"put_ok"} | {"type":"remove_ok"} | {"type":"done","error":...}
import ast
import builtins
import importlib.abc
import importlib.util
import io
import json
import os
import queue
import resource
import signal
import struct
import sys
import threading
import traceback
import types

LIMITS = json.loads(sys.argv[1])
DATA = "/mnt/data"
MAIN_PID = os.getpid()

# The protocol keeps private copies of stdin/stdout (os.dup makes them non-inheritable); fds 1 and 2 become a pipe
# so output of the code and of its subprocesses is captured alike, and fd 0 reads nothing.
PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
OUT_R, _out_w = os.pipe()
os.dup2(_out_w, 1)
os.dup2(_out_w, 2)
os.close(_out_w)
sys.stdin = open(os.devnull)
sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True)
sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True)

_send_lock = threading.Lock()


def send(header, body=b""):
    head = json.dumps(header).encode()
    data = struct.pack(">I", len(head)) + head + struct.pack(">I", len(body)) + body
    with _send_lock:
        view = memoryview(data)
        while view:
            view = view[os.write(PROTO_OUT, view):]


def read_exact(n):
    chunks = []
    while n:
        chunk = os.read(PROTO_IN, min(n, 1 << 20))
        if not chunk:
            os._exit(0)  # the host went away
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame():
    head = json.loads(read_exact(struct.unpack(">I", read_exact(4))[0]))
    body = read_exact(struct.unpack(">I", read_exact(4))[0])
    return head, body


# --- output pump: forwards everything written to fds 1/2 until the end-of-cell marker ---------------------------

MARKER = b"\x00agenthost-cell-end-" + os.urandom(8).hex().encode() + b"\x00"
_cell_flushed = threading.Event()


def pump_output():
    tail = b""
    while True:
        chunk = os.read(OUT_R, 65536)
        if not chunk:
            return
        data = tail + chunk
        at = data.find(MARKER)
        if at >= 0:
            if at:
                send({"type": "out"}, data[:at])
            tail = b""
            rest = data[at + len(MARKER):]
            if rest:
                send({"type": "out"}, rest)
            _cell_flushed.set()
            continue
        keep = len(MARKER) - 1
        if len(data) > keep:
            send({"type": "out"}, data[:-keep])
            tail = data[-keep:]
        else:
            tail = data


# --- requests: a thread reads frames so an interrupt arrives while a cell runs --------------------------------

_requests = queue.Queue()
_executing = threading.Event()


def read_requests():
    while True:
        head, body = read_frame()
        if head.get("op") == "interrupt":
            if _executing.is_set():
                os.kill(MAIN_PID, signal.SIGINT)
        else:
            _requests.put((head, body))


# --- limits ----------------------------------------------------------------------------------------------------


class CpuLimitExceeded(BaseException):
    pass


def _on_xcpu(signum, frame):
    raise CpuLimitExceeded()


def apply_limits():
    mem = LIMITS["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_NPROC, (LIMITS["max_processes"], LIMITS["max_processes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMITS["max_file_bytes"], LIMITS["max_file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    session_cpu = LIMITS["session_cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (min(LIMITS["cpu_seconds"], session_cpu), session_cpu))
    signal.signal(signal.SIGXCPU, _on_xcpu)
    # Over RLIMIT_FSIZE a write fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def arm_cpu_limit():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = used + LIMITS["cpu_seconds"] + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


# --- matplotlib: a backend whose show() hands figures to the host as PNG ----------------------------------------

BACKEND_SOURCE = """
from matplotlib.backend_bases import _Backend
from matplotlib.backends.backend_agg import _BackendAgg


@_Backend.export
class _BackendAgentHost(_BackendAgg):
    @classmethod
    def show(cls, *args, **kwargs):
        import _agenthost
        _agenthost.capture_figures()
"""


class _BackendFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, self) if name == "agenthost_mpl" else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(BACKEND_SOURCE, "<agenthost_mpl>", "exec"), module.__dict__)


def capture_figures():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    for number in plt.get_fignums():
        figure = plt.figure(number)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        send({"type": "image"}, buffer.getvalue())
    plt.close("all")


_helpers = types.ModuleType("_agenthost")
_helpers.capture_figures = capture_figures
sys.modules["_agenthost"] = _helpers
sys.meta_path.append(_BackendFinder())
os.environ["MPLBACKEND"] = "module://agenthost_mpl"


# --- cells -----------------------------------------------------------------------------------------------------

NAMESPACE = {"__name__": "__main__", "__builtins__": builtins}


def snapshot():
    files = {}
    for root, dirs, names in os.walk(DATA):
        for name in names:
            path = os.path.join(root, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if os.path.isfile(path) and not os.path.islink(path):
                files[os.path.relpath(path, DATA)] = (st.st_mtime_ns, st.st_size)
    return files


def run_code(code):
    tree = ast.parse(code, "<cell>", "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<cell>", "exec"), NAMESPACE)
    if last is not None:
        value = eval(compile(last, "<cell>", "eval"), NAMESPACE)
        if value is not None:
            print(repr(value))


def print_user_traceback(error):
    tb = error.__traceback__
    # Drop the driver's own frames so the model sees its code's traceback.
    while tb is not None and tb.tb_frame.f_code.co_filename != "<cell>":
        tb = tb.tb_next
    lines = traceback.format_exception(type(error), error, tb)
    sys.stderr.write("".join(lines))


def kill_strays():
    # Processes the code started do not outlive the cell (a fork bomb's children included).
    for _ in range(100):
        others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, MAIN_PID)]
        if not others:
            return
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass


def execute(code):
    before = snapshot()
    error = None
    arm_cpu_limit()
    _executing.set()
    try:
        try:
            run_code(code)
        finally:
            _executing.clear()
            if os.getpid() != MAIN_PID:
                os._exit(0)  # a forked child must never return into the driver loop
    except KeyboardInterrupt as e:
        error = "interrupted"
        print_user_traceback(e)
    except CpuLimitExceeded:
        error = "cpu"
    except MemoryError as e:
        error = "memory"
        print_user_traceback(e)
    except BaseException as e:  # SystemExit included: the session carries on
        if isinstance(e, BlockingIOError) or (isinstance(e, OSError) and e.errno == 11):
            error = "processes"
        print_user_traceback(e)
    try:
        capture_figures()
    except BaseException as e:
        print_user_traceback(e)
    kill_strays()
    sys.stdout.flush()
    sys.stderr.flush()
    _cell_flushed.clear()
    try:
        os.write(1, MARKER)
        _cell_flushed.wait(5)
    except OSError:
        pass
    after = snapshot()
    for name, stamp in sorted(after.items()):
        if before.get(name) != stamp:
            try:
                with open(os.path.join(DATA, name), "rb") as f:
                    send({"type": "file", "name": name}, f.read())
            except (OSError, MemoryError):
                pass
    for name in sorted(set(before) - set(after)):
        send({"type": "removed", "name": name})
    send({"type": "done", "error": error})


def data_path(name):
    # Relative to /mnt/data; "..", "." and empty parts are dropped, as the host does.
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        raise OSError("no file name")
    return os.path.join(DATA, *parts)


def put(name, body):
    try:
        path = data_path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):
            os.remove(path)  # a link planted by the code is replaced, not followed
        with open(path, "wb") as f:
            f.write(body)
        send({"type": "put_ok"})
    except OSError as e:
        send({"type": "put_ok", "error": str(e)})


def remove(name):
    try:
        path = data_path(name)
        if os.path.lexists(path) and not os.path.isdir(path):
            os.remove(path)
        send({"type": "remove_ok"})
    except OSError as e:
        send({"type": "remove_ok", "error": str(e)})


def main():
    threading.Thread(target=pump_output, daemon=True).start()
    threading.Thread(target=read_requests, daemon=True).start()
    for module in LIMITS.get("preload", []):
        try:
            __import__(module)
        except Exception:
            pass
    apply_limits()
    send({"type": "ready"})
    while True:
        try:
            head, body = _requests.get()
            if head.get("op") == "exec":
                execute(body.decode("utf-8", "replace"))
            elif head.get("op") == "put":
                put(head.get("name", "file"), body)
            elif head.get("op") == "remove":
                remove(head.get("name", ""))
        except KeyboardInterrupt:
            send({"type": "done", "error": "interrupted"})


main()

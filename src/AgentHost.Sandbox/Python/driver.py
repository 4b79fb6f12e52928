# AgentHost sandbox REPL driver. Runs inside bubblewrap as an unprivileged user and executes Python "cells" sent by
# the host, keeping one namespace across cells like a notebook.
#
# Two processes. The supervisor (this process, trusted) alone holds the host's protocol pipes; it is not dumpable, so
# other processes of the session cannot ptrace it or open its /proc/<pid>/fd or mem. The REPL (a forked child,
# untrusted: it runs the code) has no protocol fd at all: it reads cells from a pipe of its own, its stdout/stderr go
# to a pipe the supervisor forwards as "out" frames during a call and discards between calls, and it reports figures
# and the end of a cell on a result pipe the supervisor reads with size and count caps. So code cannot write a frame
# to the host, and output between calls never reaches it.
#
# Host frames, both ways: u32 header length, header JSON (UTF-8), u32 body length, body bytes (all big-endian).
#   host -> driver: {"op":"exec"} body=code | {"op":"put","name":...} body=bytes | {"op":"remove","name":...}
#                   {"op":"interrupt"}
#   driver -> host: {"type":"ready"} | {"type":"out"} body=raw stdout/stderr bytes | {"type":"image"} body=PNG
#                   {"type":"file","name":...} body=bytes | {"type":"removed","name":...} | {"type":"put_ok"}
#                   {"type":"remove_ok"} | {"type":"done","error":...,"skipped_files":n,"skipped_images":n}
import ast
import builtins
import ctypes
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
MAX_FILES = LIMITS.get("max_files_per_call", 100)
MAX_FILE_BYTES_PER_CALL = LIMITS.get("max_file_bytes_per_call", 256 << 20)
MAX_IMAGES = LIMITS.get("max_images_per_call", 20)
MAX_IMAGE_BYTES = LIMITS.get("max_image_bytes", 16 << 20)
SCAN_LIMIT = LIMITS.get("scan_limit", 20000)
MAX_HEADER = 64 * 1024

# Nothing but the standard fds is expected from bwrap; anything else inherited is closed.
os.closerange(3, 1 << 16)
PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
CELL_R, CELL_W = os.pipe()  # supervisor -> REPL: cells
RES_R, RES_W = os.pipe()  # REPL -> supervisor: figures, end of cell
OUT_R, OUT_W = os.pipe()  # REPL (and its subprocesses) stdout/stderr
MARKER = b"\x00agenthost-cell-end-" + os.urandom(8).hex().encode() + b"\x00"


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def frame(header, body=b""):
    head = json.dumps(header).encode()
    return struct.pack(">I", len(head)) + head + struct.pack(">I", len(body)) + body


def read_exact(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(fd, max_body):
    size = read_exact(fd, 4)
    if size is None:
        return None
    head_len = struct.unpack(">I", size)[0]
    if head_len > MAX_HEADER:
        raise ValueError("header of %d bytes" % head_len)
    head = read_exact(fd, head_len)
    size = read_exact(fd, 4) if head is not None else None
    if size is None:
        return None
    body_len = struct.unpack(">I", size)[0]
    if body_len > max_body:
        raise ValueError("frame body of %d bytes" % body_len)
    body = read_exact(fd, body_len)
    if body is None:
        return None
    header = json.loads(head)
    if not isinstance(header, dict):
        raise ValueError("header is not an object")
    return header, body


# --- the REPL (child): runs the code; holds no protocol fd ------------------------------------------------------


class CpuLimitExceeded(BaseException):
    pass


def repl_main():
    # Only the cell pipe (3), the result pipe (4) and stdio stay open; the protocol pipes are gone.
    os.dup2(CELL_R, 3)
    os.dup2(RES_W, 4)
    os.dup2(OUT_W, 1)
    os.dup2(OUT_W, 2)
    os.closerange(5, 1 << 16)
    os.set_inheritable(3, False)
    os.set_inheritable(4, False)
    _set_dumpable(1)
    sys.stdin = open(os.devnull)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True)
    result_lock = threading.Lock()
    main_pid = os.getpid()

    def report(header, body=b""):
        with result_lock:
            write_all(4, frame(header, body))

    def on_xcpu(signum, frame_):
        raise CpuLimitExceeded()

    mem = LIMITS["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_NPROC, (LIMITS["max_processes"], LIMITS["max_processes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMITS["max_file_bytes"], LIMITS["max_file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    session_cpu = LIMITS["session_cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (min(LIMITS["cpu_seconds"], session_cpu), session_cpu))
    signal.signal(signal.SIGXCPU, on_xcpu)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over RLIMIT_FSIZE a write fails with EFBIG

    def arm_cpu_limit():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = int(usage.ru_utime + usage.ru_stime)
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        soft = used + LIMITS["cpu_seconds"] + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))

    # matplotlib: a backend whose show() hands figures to the supervisor as PNG.
    backend_source = """
from matplotlib.backend_bases import _Backend
from matplotlib.backends.backend_agg import _BackendAgg


@_Backend.export
class _BackendAgentHost(_BackendAgg):
    @classmethod
    def show(cls, *args, **kwargs):
        import _agenthost
        _agenthost.capture_figures()
"""

    class BackendFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path, target=None):
            return importlib.util.spec_from_loader(name, self) if name == "agenthost_mpl" else None

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            exec(compile(backend_source, "<agenthost_mpl>", "exec"), module.__dict__)

    def capture_figures():
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None:
            return
        for number in plt.get_fignums():
            figure = plt.figure(number)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
            report({"type": "image"}, buffer.getvalue())
        plt.close("all")

    helpers = types.ModuleType("_agenthost")
    helpers.capture_figures = capture_figures
    sys.modules["_agenthost"] = helpers
    sys.meta_path.append(BackendFinder())
    os.environ["MPLBACKEND"] = "module://agenthost_mpl"

    for module in LIMITS.get("preload", []):
        try:
            __import__(module)
        except Exception:
            pass

    namespace = {"__name__": "__main__", "__builtins__": builtins}

    def run_code(code):
        tree = ast.parse(code, "<cell>", "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(last, "<cell>", "eval"), namespace)
            if value is not None:
                print(repr(value))

    def print_user_traceback(error):
        tb = error.__traceback__
        # Drop the driver's own frames so the model sees its code's traceback.
        while tb is not None and tb.tb_frame.f_code.co_filename != "<cell>":
            tb = tb.tb_next
        sys.stderr.write("".join(traceback.format_exception(type(error), error, tb)))

    def execute(code):
        error = None
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass  # children of the previous cell, killed by the supervisor
        except ChildProcessError:
            pass
        arm_cpu_limit()
        try:
            try:
                run_code(code)
            finally:
                if os.getpid() != main_pid:
                    os._exit(0)  # a forked child must never return into the REPL loop
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
        sys.stdout.flush()
        sys.stderr.flush()
        return error

    report({"type": "ready"})
    seq = 0
    while True:
        try:
            request = read_frame(3, 1 << 30)
            if request is None:
                os._exit(0)
            seq = request[0].get("seq", 0)
            error = execute(request[1].decode("utf-8", "replace"))
            report({"type": "cell_end", "error": error, "seq": seq})
        except (KeyboardInterrupt, CpuLimitExceeded):
            # Also between cells (a background thread using CPU): that end carries the finished cell's seq and is ignored.
            report({"type": "cell_end", "error": "interrupted", "seq": seq})


def _set_dumpable(value):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, value, 0, 0, 0)  # PR_SET_DUMPABLE
    except (OSError, AttributeError):
        pass


# --- the supervisor (parent): the only process that speaks to the host ------------------------------------------

_send_lock = threading.Lock()


def send(header, body=b""):
    with _send_lock:
        write_all(PROTO_OUT, frame(header, body))


_forwarding = threading.Event()
_cell_flushed = threading.Event()
# Held while output is checked for forwarding and sent, and while forwarding is turned off: once the supervisor has
# turned it off, no "out" frame can follow the call's "done" (which the host would take for a protocol violation).
_forward_lock = threading.Lock()


def pump_output():
    # Everything the REPL and its subprocesses print, forwarded during a call up to the end-of-cell marker; output
    # between calls (a background thread printing) is read and dropped, so it can neither block nor reach the host.
    tail = b""
    while True:
        chunk = os.read(OUT_R, 65536)
        if not chunk:
            return
        data = tail + chunk
        at = data.find(MARKER)
        if at >= 0:
            with _forward_lock:
                if at and _forwarding.is_set():
                    send({"type": "out"}, data[:at])
                tail = b""
                _forwarding.clear()
            _cell_flushed.set()
            continue
        keep = len(MARKER) - 1
        if len(data) > keep:
            with _forward_lock:
                if _forwarding.is_set():
                    send({"type": "out"}, data[:-keep])
            tail = data[-keep:]
        else:
            tail = data


def snapshot():
    # At most SCAN_LIMIT entries are looked at, so a million files cost a bounded scan.
    files = {}
    seen = 0
    for root, dirs, names in os.walk(DATA):
        for name in names:
            seen += 1
            if seen > SCAN_LIMIT:
                return files, True
            path = os.path.join(root, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if os.path.isfile(path) and not os.path.islink(path):
                files[os.path.relpath(path, DATA)] = (st.st_mtime_ns, st.st_size)
    return files, False


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def kill_strays(keep):
    # Processes the code started do not outlive the cell (a fork bomb's children included). Their zombies are the
    # REPL's to reap, at the start of its next cell.
    for _ in range(100):
        others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in keep and _alive(int(p))]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            write_all(fd, body)
        finally:
            os.close(fd)
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


class Supervisor:
    def __init__(self, child):
        self.child = child
        self.executing = threading.Event()
        self.seq = 0

    def interrupt(self):
        if self.executing.is_set():
            try:
                os.kill(self.child, signal.SIGINT)
            except OSError:
                pass

    def violation(self, detail):
        # The REPL broke the result protocol: it is killed and the host told why; the session ends.
        try:
            os.kill(self.child, signal.SIGKILL)
        except OSError:
            pass
        send({"type": "done", "error": "violation", "detail": detail})
        os._exit(3)

    def execute(self, code):
        before, _ = snapshot()
        images = 0
        skipped_images = 0
        error = None
        _cell_flushed.clear()
        _forwarding.set()
        self.executing.set()
        self.seq += 1
        write_all(CELL_W, frame({"op": "exec", "seq": self.seq}, code))
        while True:
            try:
                result = read_frame(RES_R, MAX_IMAGE_BYTES)
            except ValueError as e:
                self.violation(str(e))
            if result is None:
                os._exit(2)  # the REPL died: the host sees the session end
            header, body = result
            kind = header.get("type")
            if kind == "image":
                if images < MAX_IMAGES and body[:8] == b"\x89PNG\r\n\x1a\n":
                    images += 1
                    send({"type": "image"}, body)
                else:
                    skipped_images += 1
            elif kind == "cell_end":
                if header.get("seq") != self.seq:
                    continue  # the end of an earlier, interrupted cell
                error = header.get("error") if header.get("error") in ("interrupted", "cpu", "memory", "processes") else None
                break
            else:
                self.violation("unexpected result '%s'" % str(kind)[:40])
        self.executing.clear()
        kill_strays({1, os.getpid(), self.child})
        try:
            write_all(OUT_W, MARKER)
            # Generous: on a loaded machine the output pump may lag; output it has not forwarded by then is dropped.
            _cell_flushed.wait(30)
        except OSError:
            pass
        with _forward_lock:
            _forwarding.clear()
        after, truncated = snapshot()
        skipped_files = 0
        collected = 0
        collected_bytes = 0
        for name, stamp in sorted(after.items()):
            if before.get(name) == stamp:
                continue
            if collected >= MAX_FILES or collected_bytes + stamp[1] > MAX_FILE_BYTES_PER_CALL:
                skipped_files += 1
                continue
            try:
                fd = os.open(os.path.join(DATA, name), os.O_RDONLY | os.O_NOFOLLOW)
                try:
                    content = read_exact(fd, stamp[1]) or b""
                finally:
                    os.close(fd)
            except (OSError, MemoryError):
                continue
            collected += 1
            collected_bytes += len(content)
            send({"type": "file", "name": name}, content)
        if not truncated:
            for name in sorted(set(before) - set(after)):
                send({"type": "removed", "name": name})
        send({"type": "done", "error": error, "skipped_files": skipped_files, "skipped_images": skipped_images,
              "scan_truncated": truncated})


def main():
    child = os.fork()
    if child == 0:
        try:
            os.close(PROTO_IN)
            os.close(PROTO_OUT)
            repl_main()
        finally:
            os._exit(1)
    for fd in (CELL_R, RES_W):
        os.close(fd)
    _set_dumpable(0)
    supervisor = Supervisor(child)

    def watch_repl():
        # The session is its REPL: when it dies (a crash, os._exit, a signal), the supervisor ends too.
        try:
            os.waitpid(child, 0)
        except ChildProcessError:
            pass
        os._exit(2)

    threading.Thread(target=watch_repl, daemon=True).start()
    ready = read_frame(RES_R, 1024)
    if ready is None or ready[0].get("type") != "ready":
        os._exit(2)
    threading.Thread(target=pump_output, daemon=True).start()
    requests = queue.Queue()

    def read_requests():
        while True:
            request = read_frame(PROTO_IN, 1 << 31)
            if request is None:
                os._exit(0)  # the host went away
            if request[0].get("op") == "interrupt":
                supervisor.interrupt()
            else:
                requests.put(request)

    threading.Thread(target=read_requests, daemon=True).start()
    send({"type": "ready"})
    while True:
        head, body = requests.get()
        op = head.get("op")
        if op == "exec":
            supervisor.execute(body)
        elif op == "put":
            put(head.get("name", "file"), body)
        elif op == "remove":
            remove(head.get("name", ""))


main()

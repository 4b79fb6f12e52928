# AgentHost agent toolset: the tools of `agent_toolset_20260401` (bash, read, write, edit, glob, grep), run inside the
# container's sandbox session so every path is resolved by the sandbox's own filesystem (a symlink cannot reach a host
# file). The host sends this file followed by one call of _agenthost_toolset(request); the result is printed once, as
# ASCII JSON between two copies of the call's nonce, so nothing else printed can be mistaken for it.
#
# request: {"tool", "args", "root", "nonce", "limits": {"timeout_s", "tail_bytes", "output_bytes", "image_bytes",
#           "data_size_mb"}}
# result:  {"output": str, "is_error": bool, "images": [{"media_type", "data"}], "exit_code", "timed_out", "truncated"}
import base64 as _ah_base64
import json as _ah_json
import os as _ah_os
import re as _ah_re
import shutil as _ah_shutil
import signal as _ah_signal
import subprocess as _ah_subprocess
import sys as _ah_sys


def _agenthost_toolset(encoded):
    os = _ah_os
    request = _ah_json.loads(_ah_base64.b64decode(encoded).decode("utf-8"))
    root = request["root"].rstrip("/") or "/"
    limits = request["limits"]
    state_dir = "/tmp/.agenthost-shell"
    max_line = 2000

    class ToolError(Exception):
        pass

    def inside(real):
        return real == root or real.startswith(root + "/")

    def resolve(value, name):
        # The path as the model gave it (relative paths are under the workspace), resolved through every symlink; it
        # must stay inside the workspace.
        if not isinstance(value, str) or value.strip() == "":
            raise ToolError("'%s' is required: a path in the workspace %s." % (name, root))
        if "\x00" in value:
            raise ToolError("'%s' contains a NUL character." % name)
        full = os.path.normpath(value if os.path.isabs(value) else os.path.join(root, value))
        real = os.path.realpath(full)
        if not inside(full) or not inside(real):
            where = full if not inside(full) else real
            raise ToolError("%s is outside the workspace: the file tools work only on files under %s (%s resolves to %s)."
                            % (value, root, value, where))
        return full, real

    def text_arg(args, name, required=True):
        value = args.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise ToolError("'%s' is required and must be a string." % name)
        return value

    def bool_arg(args, name):
        value = args.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise ToolError("'%s' must be true or false." % name)
        return value

    def numbered(lines, first):
        return "".join("%6d\t%s\n" % (first + i, line if len(line) <= max_line else line[:max_line] + "… [line truncated]")
                       for i, line in enumerate(lines))

    def write_atomic(real, data):
        # A temporary file beside the target, then a rename: a full disk leaves the old content in place.
        folder = os.path.dirname(real)
        os.makedirs(folder, exist_ok=True)
        temp = os.path.join(folder, ".%s.agenthost-%s" % (os.path.basename(real), os.urandom(4).hex()))
        mode = None
        try:
            mode = os.stat(real).st_mode & 0o7777
        except OSError:
            pass
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644 if mode is None else mode)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(temp, real)
        except OSError as e:
            try:
                os.remove(temp)
            except OSError:
                pass
            if e.errno == 28:
                raise ToolError("Could not write %s: no space left in the workspace (it holds at most %s MB)."
                                % (real, limits["data_size_mb"]))
            if e.errno == 27:
                raise ToolError("Could not write %s: the file is larger than a file may be in this sandbox." % real)
            raise ToolError("Could not write %s: %s." % (real, e.strerror or e))

    def image_type(head):
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "image/png"
        if head.startswith(b"\xff\xd8\xff"):
            return "image/jpeg"
        if head.startswith(b"GIF87a") or head.startswith(b"GIF89a"):
            return "image/gif"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "image/webp"
        return None

    def existing_file(args):
        path, real = resolve(args.get("file_path"), "file_path")
        if not os.path.lexists(real):
            raise ToolError("File does not exist: %s" % path)
        if os.path.isdir(real):
            raise ToolError("%s is a directory, not a file. List it with bash (ls) or glob." % path)
        if not os.path.isfile(real):
            raise ToolError("%s is not a regular file." % path)
        return path, real

    def read(args):
        path, real = existing_file(args)
        view = args.get("view_range")
        first, last = 1, 0
        if view is not None:
            if (not isinstance(view, list) or not 1 <= len(view) <= 2
                    or any(isinstance(v, bool) or not isinstance(v, int) for v in view)):
                raise ToolError("'view_range' must be [start_line] or [start_line, end_line]: 1-indexed line numbers.")
            first = view[0]
            last = view[1] if len(view) == 2 else 0
            if first < 1:
                raise ToolError("'view_range' starts at line %d; lines are numbered from 1." % first)
            if last > 0 and last < first:
                raise ToolError("'view_range' [%d, %d] ends before it starts." % (first, last))
        with open(real, "rb") as f:
            head = f.read(8192)
            kind = image_type(head)
            if kind is not None:
                size = os.fstat(f.fileno()).st_size
                if size > limits["image_bytes"]:
                    raise ToolError("%s is an image of %d bytes; images of at most %d bytes can be viewed."
                                    % (path, size, limits["image_bytes"]))
                f.seek(0)
                data = f.read()
                return {"output": "Image file %s (%s, %d bytes)." % (path, kind, len(data)),
                        "images": [{"media_type": kind, "data": _ah_base64.b64encode(data).decode("ascii")}]}
            if b"\x00" in head:
                raise ToolError("%s is a binary file; it cannot be shown as text. Inspect it with bash (e.g. xxd | head)." % path)
            f.seek(0)
            budget = limits["output_bytes"]
            out = []
            used = 0
            number = 0
            truncated_at = None
            for raw in f:
                number += 1
                if number < first:
                    continue
                if last > 0 and number > last:
                    break
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                piece = "%6d\t%s\n" % (number, line if len(line) <= max_line else line[:max_line] + "… [line truncated]")
                if used + len(piece.encode("utf-8")) > budget:
                    truncated_at = number
                    break
                out.append(piece)
                used += len(piece.encode("utf-8"))
        if number == 0:
            return {"output": "(%s is empty)" % path}
        if not out and truncated_at is None:
            raise ToolError("'view_range' starts at line %d, past the end of %s, which has %d lines." % (first, path, number))
        text = "".join(out)
        if truncated_at is not None:
            text += ("[Output truncated before line %d: at most %d bytes are shown per call. Read on with view_range [%d, …].]\n"
                     % (truncated_at, budget, truncated_at))
        return {"output": text}

    def write(args):
        path, real = resolve(args.get("file_path"), "file_path")
        content = text_arg(args, "content")
        if os.path.isdir(real):
            raise ToolError("%s is a directory; give the path of a file." % path)
        existed = os.path.lexists(real)
        write_atomic(real, content.encode("utf-8"))
        if existed:
            return {"output": "The file %s has been overwritten (%d bytes)." % (path, len(content.encode("utf-8")))}
        return {"output": "File created successfully at: %s (%d bytes)." % (path, len(content.encode("utf-8")))}

    def edit(args):
        path, real = existing_file(args)
        old = text_arg(args, "old_string")
        new = text_arg(args, "new_string")
        replace_all = bool_arg(args, "replace_all")
        if old == "":
            raise ToolError("'old_string' is empty; give the exact text to replace (use write to create or overwrite a whole file).")
        if old == new:
            raise ToolError("'old_string' and 'new_string' are the same; there is nothing to change.")
        with open(real, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ToolError("%s is not UTF-8 text; it cannot be edited with edit. Use bash instead." % path)
        count = text.count(old)
        if count == 0:
            raise ToolError("'old_string' was not found in %s (0 matches). It must match the file exactly, including "
                            "whitespace and indentation; read the file to see its current text." % path)
        if count > 1 and not replace_all:
            raise ToolError("'old_string' was found %d times in %s; it must occur exactly once. Include more surrounding "
                            "lines to make it unique, or set replace_all to true to replace every occurrence." % (count, path))
        at = text.index(old)
        updated = text.replace(old, new) if replace_all else text.replace(old, new, 1)
        write_atomic(real, updated.encode("utf-8"))
        replaced = count if replace_all else 1
        lines = updated.split("\n")
        if updated.endswith("\n"):
            lines.pop()
        line = updated.count("\n", 0, at)
        start = max(0, line - 3)
        end = min(len(lines), line + new.count("\n") + 4)
        return {"output": "The file %s has been edited: %d occurrence%s replaced. The edited part now reads:\n%s"
                          % (path, replaced, "" if replaced == 1 else "s", numbered(lines[start:end], start + 1))}

    def directory(args):
        value = args.get("path")
        if value is None or value == "":
            return root, root
        path, real = resolve(value, "path")
        if not os.path.exists(real):
            raise ToolError("Path does not exist: %s" % path)
        return path, real

    def glob_regex(pattern):
        # Doublestar syntax: ** spans folders, * and ? stay within one, [...] is a class, {a,b} an alternation.
        out = []
        i = 0
        depth = 0
        while i < len(pattern):
            c = pattern[i]
            if pattern.startswith("**/", i):
                out.append("(?:[^/]*/)*")
                i += 3
                continue
            if pattern.startswith("**", i):
                out.append(".*")
                i += 2
                continue
            if c == "*":
                out.append("[^/]*")
            elif c == "?":
                out.append("[^/]")
            elif c == "[":
                close = pattern.find("]", i + 2)
                if close < 0:
                    out.append(_ah_re.escape(c))
                else:
                    body = pattern[i + 1:close]
                    if body.startswith("!"):
                        body = "^" + body[1:]
                    out.append("[" + body + "]")
                    i = close
            elif c == "{":
                depth += 1
                out.append("(?:")
            elif c == "}" and depth:
                depth -= 1
                out.append(")")
            elif c == "," and depth:
                out.append("|")
            else:
                out.append(_ah_re.escape(c))
            i += 1
        out.append(")" * depth)
        try:
            return _ah_re.compile("".join(out), _ah_re.DOTALL)
        except _ah_re.error as e:
            raise ToolError("'pattern' is not a valid glob pattern: %s." % e)

    def glob(args):
        pattern = text_arg(args, "pattern")
        if pattern == "":
            raise ToolError("'pattern' is empty; give a glob pattern such as **/*.py.")
        base_path, base = directory(args)
        if not os.path.isdir(base):
            raise ToolError("%s is not a directory." % base_path)
        if os.path.isabs(pattern):
            full = os.path.normpath(pattern)
            if not inside(full):
                raise ToolError("The absolute pattern %s is outside the workspace; patterns must be under %s." % (pattern, root))
            base, pattern = root, os.path.relpath(full, root)
        if ".." in pattern.replace("\\", "/").split("/"):
            raise ToolError("'pattern' may not contain '..', which could lead outside the workspace; set 'path' to search "
                            "another folder of the workspace.")
        regex = glob_regex(pattern)
        hidden = pattern.startswith(".") or "/." in pattern
        found = []
        scanned = 0
        # A walk that never follows a symlinked folder (Python's glob does, so a link to ".." would loop), with a bound on
        # how many entries are looked at.
        for folder, dirs, names in os.walk(base):
            dirs[:] = [d for d in dirs if hidden or not d.startswith(".")]
            for name in names:
                scanned += 1
                if scanned > limits["scan_limit"]:
                    break
                if not hidden and name.startswith("."):
                    continue
                full = os.path.join(folder, name)
                if not regex.fullmatch(os.path.relpath(full, base)):
                    continue
                if not inside(os.path.realpath(full)) or not os.path.isfile(full):
                    continue
                try:
                    found.append((os.stat(full).st_mtime_ns, full))
                except OSError:
                    continue
            if scanned > limits["scan_limit"]:
                break
        note = ""
        if scanned > limits["scan_limit"]:
            note = ("(The search stopped after looking at %d files; narrow it with 'path' or a more specific pattern.)\n"
                    % limits["scan_limit"])
        if not found:
            return {"output": "No files found" + ("\n" + note if note else ""), "truncated": bool(note)}
        found.sort(key=lambda item: (-item[0], item[1]))
        cap = limits["glob_limit"]
        text = "".join(path + "\n" for _, path in found[:cap])
        if len(found) > cap:
            text += ("(Results are truncated: the %d most recently modified of %d matching files are shown. "
                     "Use a more specific path or pattern.)\n" % (cap, len(found)))
        return {"output": text + note, "truncated": len(found) > cap or bool(note)}

    def grep(args):
        pattern = text_arg(args, "pattern")
        try:
            regex = _ah_re.compile(pattern)
        except _ah_re.error as e:
            raise ToolError("'pattern' is not a valid regular expression: %s." % e)
        base_path, base = directory(args)
        scan_cut = False
        if os.path.isfile(base):
            files = [base]
        else:
            files = []
            for folder, dirs, names in os.walk(base):
                # Like ripgrep: hidden files and folders are skipped, and symlinked folders are not followed.
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(os.path.join(folder, n) for n in sorted(names) if not n.startswith("."))
                if len(files) > limits["scan_limit"]:
                    del files[limits["scan_limit"]:]
                    scan_cut = True
                    break
        budget = limits["output_bytes"]
        cap = limits["grep_limit"]
        out = []
        used = 0
        matches = 0
        more = False
        for path in files:
            if more:
                break
            try:
                if not inside(os.path.realpath(path)) or not os.path.isfile(path):
                    continue
                with open(path, "rb") as f:
                    if b"\x00" in f.read(8192):
                        continue
                    f.seek(0)
                    for number, raw in enumerate(f, 1):
                        line = raw.decode("utf-8", "replace").rstrip("\r\n")
                        if not regex.search(line):
                            continue
                        if len(line) > 500:
                            line = line[:500] + "… [line truncated]"
                        piece = "%s:%d:%s\n" % (path, number, line)
                        if matches >= cap or used + len(piece.encode("utf-8")) > budget:
                            more = True
                            break
                        out.append(piece)
                        used += len(piece.encode("utf-8"))
                        matches += 1
            except OSError:
                continue
        note = ""
        if scan_cut and not more:
            note = ("(The search stopped after %d files; narrow it with 'path'.)\n" % limits["scan_limit"])
        if not out:
            return {"output": "No matches found" + ("\n" + note if note else ""), "truncated": bool(note)}
        text = "".join(out)
        if more:
            text += ("(Results are truncated after %d matching lines. Use a more specific pattern or path.)\n" % matches)
        return {"output": text + note, "truncated": more or bool(note)}

    def bash(args):
        state = os.path.join(state_dir, "state.sh")
        if bool_arg(args, "restart"):
            _ah_shutil.rmtree(state_dir, ignore_errors=True)
            return {"output": "The bash session was restarted: the working directory is %s again and environment "
                              "variables, shell variables, functions and aliases are back to their defaults." % root}
        command = args.get("command")
        if not isinstance(command, str) or command.strip() == "":
            raise ToolError("'command' is required (or set restart to true to restart the shell).")
        os.makedirs(state_dir, mode=0o700, exist_ok=True)
        command_file = os.path.join(state_dir, "command.sh")
        script_file = os.path.join(state_dir, "run.sh")
        output_file = os.path.join(state_dir, "output")
        with open(command_file, "w", encoding="utf-8") as f:
            f.write(command + "\n")
        # One bash per call that first restores what the previous call's shell left (variables, functions, aliases,
        # options, working directory) and saves it again when it exits, so the shell persists between calls.
        script = r"""
__agenthost_save() {
  { set +x +v; } 2>/dev/null
  local __agenthost_opts __agenthost_n __agenthost_ifs
  __agenthost_opts="$(set +o; shopt -p)"
  __agenthost_ifs="$(declare -p IFS 2>/dev/null)"
  set +e +u
  local IFS=$' \t\n'  
  {
    for __agenthost_n in $(compgen -v); do
      case "$__agenthost_n" in
        BASH*|FUNCNAME|GROUPS|PIPESTATUS|PPID|UID|EUID|SHELLOPTS|SHLVL|_|LINENO|SECONDS|RANDOM|SRANDOM|EPOCHREALTIME|EPOCHSECONDS|HISTCMD|DIRSTACK|COMP_WORDBREAKS|OPTIND|OPTARG|OPTERR|PWD|IFS|__agenthost_*) continue ;;
      esac
      declare -p "$__agenthost_n" 2>/dev/null
    done
    for __agenthost_n in $(compgen -A function); do
      case "$__agenthost_n" in __agenthost_*) continue ;; esac
      declare -f "$__agenthost_n"
    done
    printf '%s\n' "$__agenthost_ifs"
    alias -p
    printf '%s\n' "$__agenthost_opts"
    printf 'cd -- %q\n' "$PWD"
  } > STATE.tmp 2>/dev/null && mv -f STATE.tmp STATE
}
shopt -s expand_aliases
if [ -f STATE ]; then . STATE >/dev/null 2>&1; fi
trap __agenthost_save EXIT
. COMMAND
""".replace("STATE", state).replace("COMMAND", command_file)
        with open(script_file, "w", encoding="utf-8") as f:
            f.write(script)
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the REPL's own figure backend; a python3 run from bash has none
        timeout = limits["timeout_s"]
        with open(output_file, "wb") as out:
            process = _ah_subprocess.Popen(["/bin/bash", "--noprofile", "--norc", script_file], stdin=_ah_subprocess.DEVNULL,
                                           stdout=out, stderr=_ah_subprocess.STDOUT, cwd=root, env=env,
                                           start_new_session=True, close_fds=True)
            timed_out = False
            try:
                process.wait(timeout=timeout)
            except _ah_subprocess.TimeoutExpired:
                timed_out = True
            finally:
                # The command's whole process group goes with it: on a timeout, an interrupt, or background jobs left
                # behind (the sandbox stops any other process when the call ends).
                try:
                    os.killpg(process.pid, _ah_signal.SIGKILL)
                except OSError:
                    pass
                process.wait()
        size = os.path.getsize(output_file)
        keep = limits["tail_bytes"]
        with open(output_file, "rb") as f:
            if size > keep:
                f.seek(size - keep)
            data = f.read(keep)
        os.remove(output_file)
        text = data.decode("utf-8", "replace")
        if size > keep:
            text = text.lstrip("\ufffd")
            text = ("[Output truncated: the first %d bytes were cut; the last %d bytes of %d are shown.]\n"
                    % (size - keep, keep, size)) + text
        code = process.returncode
        if code is not None and code < 0:
            code = 128 - code
        if timed_out:
            _ah_shutil.rmtree(state_dir, ignore_errors=True)
            text += ("%s[The command timed out after %s s and was killed. The shell was restarted: the working directory "
                     "is %s again and environment variables are reset; files are kept.]" % ("\n" if text and not text.endswith("\n") else "", _ah_fmt(timeout), root))
            return {"output": text, "is_error": True, "timed_out": True, "truncated": size > keep}
        if code:
            text += "%s[Exit code %d]" % ("\n" if text and not text.endswith("\n") else "", code)
        return {"output": text if text else "(no output)", "is_error": code != 0, "exit_code": code, "truncated": size > keep}

    tools = {"bash": bash, "read": read, "write": write, "edit": edit, "glob": glob, "grep": grep}
    try:
        args = request["args"]
        if not isinstance(args, dict):
            raise ToolError("The tool's input must be a JSON object.")
        result = tools[request["tool"]](args)
    except ToolError as e:
        result = {"output": str(e), "is_error": True}
    except RecursionError:
        result = {"output": "The call failed: the pattern or path is too deeply nested.", "is_error": True}
    except MemoryError:
        result = {"output": "The call ran out of memory; work on smaller files or ranges.", "is_error": True}
    except OSError as e:
        result = {"output": "The call failed: %s." % e, "is_error": True}
    _ah_sys.stdout.write(request["nonce"] + _ah_json.dumps(result) + request["nonce"])
    _ah_sys.stdout.flush()


def _ah_fmt(seconds):
    return ("%d" % seconds) if float(seconds).is_integer() else ("%.1f" % seconds)

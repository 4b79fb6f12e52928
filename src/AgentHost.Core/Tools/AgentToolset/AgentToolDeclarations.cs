using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>
/// What the model is told of each tool: its name, a description of how it behaves here, and its input schema — the
/// inputs of the official SDK's <c>BetaManagedAgentsAgentToolset20260401…Input</c> types.
/// </summary>
internal static class AgentToolDeclarations
{
    private static readonly Dictionary<string, AIFunctionDeclaration> ByName = new(StringComparer.Ordinal)
    {
        [AgentToolNames.Bash] = Declare(AgentToolNames.Bash,
            "Runs a command in a persistent bash shell in the session's workspace (/mnt/data, the starting working directory). "
            + "The working directory, environment and shell variables, functions and aliases persist between calls; background "
            + "processes end with the call. stdin is empty, so commands must not wait for input. Output (stdout and stderr) is "
            + "returned, cut to its last 100 KB when longer. A command is killed after timeout_ms (default 120000), and the "
            + "shell is then restarted. There is no network access. restart: true restarts the shell instead of running a command.",
            """
            {"type":"object","properties":{
              "command":{"type":"string","description":"The bash command to run. Omit only when restart is true."},
              "restart":{"type":"boolean","description":"Restart the shell (working directory and variables back to their defaults) instead of running a command."},
              "timeout_ms":{"type":"integer","description":"How long the command may run, in milliseconds; 0 or omitted for the default (120000)."}}}
            """),
        [AgentToolNames.Read] = Declare(AgentToolNames.Read,
            "Reads a file of the workspace. Text comes back with line numbers (cat -n style, numbered from 1); view_range "
            + "[start_line, end_line] (1-indexed, inclusive; end_line 0 or negative means to the end) reads part of a large file. "
            + "PNG, JPEG, GIF and WebP images are shown as images. Paths are absolute (/mnt/data/…) or relative to /mnt/data.",
            """
            {"type":"object","properties":{
              "file_path":{"type":"string","description":"Path of the file to read."},
              "view_range":{"type":"array","items":{"type":"integer"},"description":"Optional [start_line, end_line], 1-indexed and inclusive; end_line 0 or negative reads to the end."}},
             "required":["file_path"]}
            """),
        [AgentToolNames.Write] = Declare(AgentToolNames.Write,
            "Writes a file of the workspace with the given content, replacing the file if it exists and creating missing folders. "
            + "Prefer edit for changing part of an existing file.",
            """
            {"type":"object","properties":{
              "file_path":{"type":"string","description":"Path of the file to write."},
              "content":{"type":"string","description":"The whole content of the file."}},
             "required":["file_path","content"]}
            """),
        [AgentToolNames.Edit] = Declare(AgentToolNames.Edit,
            "Replaces text in a file of the workspace. old_string must match the file exactly (whitespace and indentation "
            + "included) and occur exactly once, unless replace_all is true, which replaces every occurrence. Read the file first.",
            """
            {"type":"object","properties":{
              "file_path":{"type":"string","description":"Path of the file to edit."},
              "old_string":{"type":"string","description":"The exact text to replace."},
              "new_string":{"type":"string","description":"The text to put in its place."},
              "replace_all":{"type":"boolean","description":"Replace every occurrence instead of requiring exactly one."}},
             "required":["file_path","old_string","new_string"]}
            """),
        [AgentToolNames.Glob] = Declare(AgentToolNames.Glob,
            "Finds files of the workspace whose paths match a glob pattern (** matches any number of folders, e.g. **/*.py), "
            + "most recently modified first, at most 200.",
            """
            {"type":"object","properties":{
              "pattern":{"type":"string","description":"The glob pattern, relative to path (or absolute under /mnt/data)."},
              "path":{"type":"string","description":"The folder to search; defaults to /mnt/data."}},
             "required":["pattern"]}
            """),
        [AgentToolNames.Grep] = Declare(AgentToolNames.Grep,
            "Searches the contents of the workspace's files for a regular expression (Python re syntax) and returns the matching "
            + "lines as path:line:text. Hidden files and folders and binary files are skipped.",
            """
            {"type":"object","properties":{
              "pattern":{"type":"string","description":"The regular expression to search for."},
              "path":{"type":"string","description":"A folder or file to search; defaults to /mnt/data."}},
             "required":["pattern"]}
            """),
        [AgentToolNames.WebFetch] = Declare(AgentToolNames.WebFetch,
            "Fetches the content of a URL. Only available when the session's environment allows network access.",
            """
            {"type":"object","properties":{"url":{"type":"string","description":"The URL to fetch."}},"required":["url"]}
            """),
        [AgentToolNames.WebSearch] = Declare(AgentToolNames.WebSearch,
            "Searches the web. Only available when the session's environment allows network access.",
            """
            {"type":"object","properties":{"query":{"type":"string","description":"The search query."}},"required":["query"]}
            """),
    };

    /// <summary>The declaration of the tool named <paramref name="name"/>.</summary>
    public static AIFunctionDeclaration Of(string name) => ByName[name];

    private static AIFunctionDeclaration Declare(string name, string description, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, description, JsonDocument.Parse(schema).RootElement.Clone());
}

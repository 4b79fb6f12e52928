namespace AgentHost.Core.Domain;

public static class ToolTypes
{
    public const string Function = "function";
    public const string CodeInterpreter = "code_interpreter";
    public const string FileSearch = "file_search";
}

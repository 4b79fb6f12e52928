using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

public sealed class PromptBuilderTests
{
    private static readonly PromptBuilder Builder = new(new TiktokenCounter(), new ToolSources([]));

    private static ThreadRun Run(TruncationStrategy? truncation = null) => new()
    {
        Id = "run_1", CreatedAt = 0, AssistantId = "asst_1", ThreadId = "thread_1", Model = "gpt-4o", Instructions = "Be brief.",
        TruncationStrategy = truncation ?? TruncationStrategy.Auto,
    };

    private static ThreadMessage Message(int n) => new()
    {
        Id = $"msg_{n}", CreatedAt = n, ThreadId = "thread_1", Role = MessageRoles.User, Content = [MessageContent.FromText($"message number {n} " + new string('x', 200))],
    };

    [Fact]
    public void Build_WithLastMessages_KeepsOnlyTheNewestMessagesAfterInstructions()
    {
        var prompt = Builder.Build(Run(new TruncationStrategy { Type = "last_messages", LastMessages = 2 }), [Message(1), Message(2), Message(3)], [], 100_000);

        Assert.Equal(ChatRole.System, prompt.Messages[0].Role);
        Assert.Equal(["message number 2", "message number 3"], prompt.Messages.Skip(1).Select(m => m.Text[..16]));
    }

    [Fact]
    public void Build_OverBudget_DropsOldestFirstButKeepsNewest()
    {
        var full = Builder.Build(Run(), [Message(1), Message(2), Message(3)], [], 100_000);
        var cut = Builder.Build(Run(), [Message(1), Message(2), Message(3)], [], full.EstimatedTokens - 1);

        Assert.Equal(4, full.Messages.Count);
        Assert.Equal(3, cut.Messages.Count);
        Assert.StartsWith("message number 2", cut.Messages[1].Text, StringComparison.Ordinal);
        Assert.True(cut.EstimatedTokens < full.EstimatedTokens);
    }

    [Fact]
    public void Build_WhenNewestMessageAloneExceedsBudget_Throws()
    {
        Assert.Throws<PromptTooLongException>(() => Builder.Build(Run(), [Message(1)], [], 10));
    }

    [Fact]
    public void Build_ReplaysRecordedToolCallsWithTheirOutputs()
    {
        var step = new RunStep
        {
            Id = "step_1", CreatedAt = 1, RunId = "run_1", AssistantId = "asst_1", ThreadId = "thread_1", Type = StepTypes.ToolCalls,
            StepDetails = new StepDetails { Type = StepTypes.ToolCalls, ToolCalls = [new StepToolCall { Id = "call_1", Type = "function", Function = new StepFunctionCall("f", """{"a":1}""", "out") }] },
        };

        var prompt = Builder.Build(Run(), [Message(1)], [step], 100_000);

        var call = Assert.IsType<FunctionCallContent>(prompt.Messages[2].Contents.Single());
        var result = Assert.IsType<FunctionResultContent>(prompt.Messages[3].Contents.Single());
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("out", result.Result);
    }
}

using System.IO.Pipes;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace AgentHost.Server.Tests.Conformance;

public sealed class ConformanceToolsTests
{
    private const string Assistants = "AssistantsTests";

    [SharedFact]
    public void RecordedAssistantsResponses_MatchTheSpec_ButForTheKnownDeviations()
    {
        var bodies = RecordedAssistantsBodies().ToList();

        // Each tolerated disagreement is documented in RecordedSpecDeviations: steps say `expires_at`
        // for the spec's `expired_at` and lack `metadata`; REST messages lack the lifecycle fields;
        // modify-message answers `file_ids` for `attachments`; run `instructions` and an empty page's
        // `first_id`/`last_id` are null. Run timestamps are null before they happen, which the spec
        // allows through OpenAPI 3.0's `nullable` (OpenApiToJsonSchema honours it).
        var failures = bodies
            .Select(b => (b.Where, Result: OpenApiSchemaValidator.Validate(b.Body, b.Schema).Tolerating(RecordedSpecDeviations.All)))
            .Where(b => !b.Result.IsValid)
            .Select(b => $"{b.Where}: {b.Result}")
            .ToList();

        Assert.True(failures.Count == 0, $"{failures.Count} recorded bodies fail:{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Take(20)));
        Assert.Superset(
            new HashSet<string> { "AssistantObject", "ThreadObject", "MessageObject", "RunObject", "RunStepObject",
                "ListAssistantsResponse", "ListMessagesResponse", "ListRunsResponse", "ListRunStepsResponse",
                "DeleteAssistantResponse", "DeleteThreadResponse", "DeleteMessageResponse",
                "MessageDeltaObject", "RunStepDeltaObject" },
            bodies.Select(b => b.Schema).ToHashSet());
    }

    [SharedFact]
    public void EveryKnownDeviation_IsNeededByTheRecordings()
    {
        var errors = RecordedAssistantsBodies()
            .SelectMany(b => OpenApiSchemaValidator.Validate(b.Body, b.Schema).Errors.Select(e => (b.Schema, Error: e)))
            .ToList();

        var unseen = RecordedSpecDeviations.All
            .Where(d => !errors.Any(e => SpecDeviation.Explain(RecordedSpecDeviations.All, e.Schema, e.Error)
                && !SpecDeviation.Explain(RecordedSpecDeviations.All.Where(other => !ReferenceEquals(other, d)), e.Schema, e.Error)))
            .ToList();

        // The empty-page deviation is recorded for runs only; other lists share the serializer.
        Assert.All(unseen, d => Assert.True(
            d.Why.StartsWith("An empty page", StringComparison.Ordinal) && d.SchemaName != "ListRunsResponse",
            $"no recording needs: {d}"));
    }

    [SharedFact]
    public void RunWithoutStatus_FailsValidation()
    {
        var run = RecordedExchanges.Load(Assistants, "BasicRunOperationsWork")
            .First(e => e.ResponseBody.TryGetProperty("object", out var o) && o.GetString() == "thread.run")
            .ResponseBody;
        var withoutStatus = JsonNode.Parse(run.GetRawText())!.AsObject();
        withoutStatus.Remove("status");

        var result = OpenApiSchemaValidator.Validate(withoutStatus, "RunObject");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Tolerating(RecordedSpecDeviations.All).Errors);
        Assert.Equal("required", error.Keyword);
        Assert.Contains("\"status\"", error.Message, StringComparison.Ordinal);
        Assert.True(OpenApiSchemaValidator.Validate(run, "RunObject").Tolerating(RecordedSpecDeviations.All).IsValid);
    }

    [SharedFact]
    public void RunWithUnknownStatus_FailsValidationAtThatField()
    {
        var result = OpenApiSchemaValidator.Validate(
            """{"id":"run_1","object":"thread.run","created_at":1,"thread_id":"t","assistant_id":"a","status":"running"}""",
            "RunObject");

        Assert.Contains(result.Errors, e => e.InstanceLocation == "/status" && e.Keyword == "enum");
    }

    [SharedFact]
    public void RecordedErrorEnvelopes_MatchErrorResponse()
    {
        var errors = RecordedExchanges.Names("FilesTests")
            .Where(name => name.Contains("CanParseServiceError", StringComparison.Ordinal))
            .SelectMany(name => RecordedExchanges.Load("FilesTests", name))
            .ToList();

        Assert.NotEmpty(errors);
        Assert.All(errors, e =>
        {
            Assert.InRange(e.StatusCode, 400, 499);
            OpenApiSchemaValidator.AssertValid(e.ResponseBody, "ErrorResponse");
        });
    }

    [SharedFact]
    public void StreamingRunWorks_ParsesToTheKnownEventSequence()
    {
        var stream = RecordedExchanges.Load(Assistants, "StreamingRunWorks").Single(e => e.IsStreamed);

        var events = stream.Events();

        Assert.Equal(
            ["thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
             "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta",
             "thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"],
            SseEventSequence.Kinds(events));
        Assert.Equal(33, events.Count(e => e.Event == "thread.message.delta"));
        Assert.True(events[^1].IsDone);
        Assert.Null(events[^1].Json);
        Assert.Equal("thread.run", events[0].Json!.Value.GetProperty("object").GetString());
    }

    public static TheoryData<string> StreamingRecordings() =>
        SharedArtifacts.IsAvailable
            ? [.. RecordedExchanges.Names(Assistants).Where(n => RecordedExchanges.Load(Assistants, n).Any(e => e.IsStreamed))]
            : [];

    [SharedTheory]
    [MemberData(nameof(StreamingRecordings))]
    public void RecordedStreams_EndWithDone_AfterOnlyKnownJsonEvents(string recording)
    {
        foreach (var stream in RecordedExchanges.Load(Assistants, recording).Where(e => e.IsStreamed))
        {
            var events = stream.Events();

            Assert.Equal("done", events[^1].Event);
            Assert.True(events[^1].IsDone);
            Assert.All(events.SkipLast(1), e =>
            {
                Assert.NotNull(AssistantsSchemaNames.ForEvent(e.Event));
                Assert.StartsWith(e.Json!.Value.GetProperty("object").GetString()!, e.Event, StringComparison.Ordinal);
            });
        }
    }

    [SharedFact]
    public void RecordedToolCallStreams_AreTheSameInKind_ThoughTheirDeltaCountsDiffer()
    {
        var sync = RecordedExchanges.Load(Assistants, "StreamingToolCall()").Where(e => e.IsStreamed).ToList();
        var async = RecordedExchanges.Load(Assistants, "StreamingToolCall()Async").Where(e => e.IsStreamed).ToList();

        Assert.Equal(2, sync.Count);
        Assert.NotEqual(sync[1].Events().Count, async[1].Events().Count);
        SseEventSequence.AssertSameKindAndOrder(sync[0].Events(), async[0].Events());
        SseEventSequence.AssertSameKindAndOrder(sync[1].Events(), async[1].Events());
        Assert.ThrowsAny<XunitException>(() => SseEventSequence.AssertSameKindAndOrder(sync[0].Events(), sync[1].Events()));
    }

    [SharedFact]
    public void RecordedCompletedRuns_HaveTheSameShape_AndARemovedFieldIsReported()
    {
        var recorded = CompletedRun("StreamingToolCall()");
        var other = CompletedRun("StreamingToolCall()Async");
        var trimmed = JsonNode.Parse(other.GetRawText())!.AsObject();
        trimmed["usage"]!.AsObject().Remove("prompt_token_details");
        trimmed["surprise"] = 1;

        JsonShape.AssertSameShape(recorded, other);
        var difference = JsonShape.Compare(recorded, JsonSerializer.SerializeToElement(trimmed));

        Assert.Equal(["usage.prompt_token_details", "usage.prompt_token_details.cached_tokens"], difference.Missing);
        Assert.Equal(["surprise"], difference.Extra);
    }

    [Fact]
    public void SseEventParser_FollowsTheEventStreamRules()
    {
        var events = SseEventParser.Parse(
            ": a comment\r\nevent: first\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\ndata:plain\n\nevent: ignored-no-data\n\nevent: cut\ndata: off");

        Assert.Equal(2, events.Count);
        Assert.Equal("first", events[0].Event);
        Assert.Equal("{\"a\":\n1}", events[0].Data);
        Assert.Equal(1, events[0].Json!.Value.GetProperty("a").GetInt32());
        Assert.Equal("message", events[1].Event);
        Assert.Equal("plain", events[1].Data);
        Assert.Null(events[1].Json);
    }

    [Fact]
    public async Task SseReader_YieldsEachEventBeforeTheNextIsSent()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(client) };
        response.Content.Headers.ContentType = new("text/event-stream");
        await using var events = response.ReadEventsAsync().GetAsyncEnumerator();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await server.WriteAsync("event: thread.run.created\ndata: {}\n\n"u8.ToArray(), timeout.Token);
        await server.FlushAsync(timeout.Token);
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        Assert.Equal("thread.run.created", events.Current.Event);

        await server.WriteAsync("event: done\ndata: [DONE]\n\n"u8.ToArray(), timeout.Token);
        server.Close();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        Assert.True(events.Current.IsDone);
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task SseReader_RejectsAJsonResponse_ShowingItsBody()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"error":{"message":"nope"}}""", Encoding.UTF8, "application/json"),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in response.ReadEventsAsync())
            {
            }
        });

        Assert.Contains("400 application/json", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_CollapsesRepeatedDeltasOnly()
    {
        var kinds = SseEventSequence.Collapse(
            ["thread.message.delta", "thread.message.delta", "thread.run.step.delta", "thread.run.step.delta",
             "thread.message.delta", "thread.run.step.created", "thread.run.step.created"]);

        Assert.Equal(
            ["thread.message.delta", "thread.run.step.delta", "thread.message.delta", "thread.run.step.created", "thread.run.step.created"],
            kinds);
    }

    [Fact]
    public void AssertSameKindAndOrder_NamesTheFirstDifference()
    {
        var error = Assert.ThrowsAny<XunitException>(() => SseEventSequence.AssertSameKindAndOrder(
            ["thread.run.created", "thread.run.queued", "done"], ["thread.run.created", "done"]));

        Assert.Contains("#1: recorded thread.run.queued, live done", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonShape_ComparesNamesByPath_IgnoringCountsAndUnknownShapes()
    {
        var recorded = JsonDocument.Parse("""
            {"id":"a","tools":[{"type":"x"},{"type":"y","extra":1}],"usage":{"total":1},"empty":[],"gone":{"deep":1}}
            """).RootElement;
        var live = JsonDocument.Parse("""
            {"id":"b","tools":[{"type":"z","extra":2,"new":true}],"usage":null,"empty":[{"anything":1}],"added":0}
            """).RootElement;

        var difference = JsonShape.Compare(recorded, live);

        Assert.Equal(["gone", "gone.deep"], difference.Missing);
        Assert.Equal(["added", "tools[].new"], difference.Extra);
    }

    private static JsonElement CompletedRun(string recording) =>
        RecordedExchanges.Load(Assistants, recording)
            .Where(e => e.IsStreamed)
            .SelectMany(e => e.Events())
            .Single(e => e.Event == "thread.run.completed")
            .Json!.Value;

    // Every JSON response body and stream event payload of the Assistants recordings, with its schema.
    private static IEnumerable<(string Where, string Schema, JsonElement Body)> RecordedAssistantsBodies()
    {
        foreach (var name in RecordedExchanges.Names(Assistants))
        {
            var exchanges = RecordedExchanges.Load(Assistants, name);
            for (var i = 0; i < exchanges.Count; i++)
            {
                var exchange = exchanges[i];
                var where = $"{name}#{i + 1} {exchange}";
                if (exchange.IsStreamed)
                {
                    foreach (var e in exchange.Events())
                    {
                        if (AssistantsSchemaNames.ForEvent(e.Event) is { } eventSchema)
                        {
                            yield return ($"{where} [{e.Event}]", eventSchema, e.Json!.Value);
                        }
                    }
                }
                else if (exchange.ResponseBody.TryGetProperty("object", out var type)
                    && AssistantsSchemaNames.ForResponse(type.GetString(), exchange.Route) is { } schema)
                {
                    yield return (where, schema, exchange.ResponseBody);
                }
            }
        }
    }
}

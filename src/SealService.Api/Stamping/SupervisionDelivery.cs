using System.Text;
using Microsoft.Extensions.Options;
using SealService.Domain.Stamping;

namespace SealService.Api.Stamping;

/// <summary>"SealService:Supervision": where and how 审管互动 events are pushed.</summary>
public sealed class SupervisionOptions
{
    /// <summary>Webhook receiving each event as a JSON POST; empty → events stay pending (nothing is sent).</summary>
    public string? WebhookUrl { get; set; }

    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubled after each failure up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Drains the supervision outbox: POSTs each due event (header X-SealService-Event-Id, body = the event payload); 2xx →
/// delivered; otherwise retried with exponential back-off, and after MaxAttempts marked failed. At-least-once: a receiver
/// must de-duplicate by event id.
/// </summary>
public sealed partial class SupervisionDelivery(
    ISupervisionOutbox outbox, IHttpClientFactory http, IOptions<SupervisionOptions> options, TimeProvider clock, ILogger<SupervisionDelivery> logger)
    : BackgroundService
{
    public const string HttpClientName = "supervision";
    private const int ClaimSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.WebhookUrl))
            return;
        var url = new Uri(o.WebhookUrl, UriKind.Absolute);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The lease outlasts delivering the whole claim; a node that dies holding it frees its events when it ends.
                foreach (var e in await outbox.ClaimDueAsync(clock.GetUtcNow(), ClaimSize, o.RequestTimeout * (ClaimSize + 1), stoppingToken))
                    await DeliverAsync(url, e, o, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
            }

            try
            {
                await Task.Delay(o.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(Uri url, SupervisionEventState e, SupervisionOptions o, CancellationToken ct)
    {
        var attempt = e.Attempts + 1;
        string error;
        try
        {
            using var client = http.CreateClient(HttpClientName);
            client.Timeout = o.RequestTimeout;
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(e.PayloadJson, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-SealService-Event-Id", e.Id);
            using var response = await client.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                await outbox.MarkDeliveredAsync(e.Id, attempt, clock.GetUtcNow(), CancellationToken.None);
                return;
            }

            error = $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = ex.GetType().Name + ": " + ex.Message;
        }

        DateTimeOffset? next = null;
        if (attempt < o.MaxAttempts)
        {
            var delay = TimeSpan.FromTicks(Math.Min(o.MaxDelay.Ticks, o.InitialDelay.Ticks * (1L << Math.Min(attempt - 1, 30))));
            next = clock.GetUtcNow() + delay;
        }

        LogAttemptFailed(logger, e.Id, attempt, error);
        await outbox.MarkAttemptFailedAsync(e.Id, attempt, next, error, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Supervision event {EventId} attempt {Attempt} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervision delivery loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}

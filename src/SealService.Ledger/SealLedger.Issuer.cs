namespace SealService.Ledger;

/// <summary>The background tree-head issuer: signs after M new entries, or when the interval passes on the ledger's clock.</summary>
public sealed partial class SealLedger
{
    private async Task IssuerLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // Woken by the writer: sign only if M entries are still unsigned (stale wake-ups do nothing).
                // Timed out: sign whatever is unsigned, so no entry waits longer than the interval.
                var signalled = await WaitForSignalAsync(token).ConfigureAwait(false);
                var unsigned = Size - (_latest?.TreeSize ?? 0);
                if (IssuesHeads && (signalled ? unsigned >= _options.TreeHeadEveryEntries : unsigned > 0))
                {
                    await IssueTreeHeadAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // A failed issuance (disk, lock) is retried on the next tick; appends keep working.
                await Task.Delay(TimeSpan.FromSeconds(1), _time, token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when the writer signalled, false when the interval passed first (measured on the ledger's clock).</summary>
    private async Task<bool> WaitForSignalAsync(CancellationToken stopping)
    {
        using var interval = new CancellationTokenSource(_options.TreeHeadInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, interval.Token);
        try
        {
            await _issueSignal.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false;
        }
    }
}

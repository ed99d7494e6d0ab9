namespace SealService.Storage.Relational;

/// <summary>
/// Document sequence numbers handed out from blocks reserved ahead (one write per block, not per stamp). Per seal and
/// year, in order; concurrent callers that find a block used up wait on the same reservation.
/// </summary>
internal sealed class NumberBlocks(int blockSize, Func<string, int, int, Task<long>> reserve)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string SealId, int Year), Block> _blocks = [];

    public async Task<long> NextAsync(string sealId, int year, CancellationToken ct)
    {
        while (true)
        {
            Task refill;
            lock (_lock)
            {
                if (!_blocks.TryGetValue((sealId, year), out var block))
                    _blocks[(sealId, year)] = block = new Block();
                if (block.Next <= block.Last)
                    return block.Next++;
                refill = block.Refill ??= RefillAsync(block, sealId, year);
            }

            await refill.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets every block (after the store closed them at start: their numbers are void).</summary>
    public void Clear()
    {
        lock (_lock)
            _blocks.Clear();
    }

    private async Task RefillAsync(Block block, string sealId, int year)
    {
        await Task.Yield(); // never complete inside the caller's lock
        try
        {
            var first = await reserve(sealId, year, blockSize).ConfigureAwait(false);
            lock (_lock)
            {
                block.Next = first;
                block.Last = first + blockSize - 1;
            }
        }
        finally
        {
            lock (_lock)
                block.Refill = null;
        }
    }

    private sealed class Block
    {
        public long Next = 1;
        public long Last;
        public Task? Refill;
    }
}

using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Ledger.Storage;
using SealService.Ledger.Verification;

namespace SealService.Ledger.Tests;

/// <summary>The SQLite-backed ledger: group commit, in-transaction appends, signed heads and proofs.</summary>
public class LedgerTests
{
    private static byte[] Entry(int i) => Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");

    [Fact]
    public async Task Concurrent_appends_get_dense_unique_indexes_and_are_durable()
    {
        using var dir = new TempLedgerDir();
        const int count = 400;
        long[] indexes;
        await using (var ledger = await dir.OpenAsync())
        {
            indexes = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => ledger.AppendAsync(Entry(i)))));
            Assert.Equal(count, ledger.Size);
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), indexes.Order());

        // Reopened from disk: every entry is at the index its caller was given.
        await using var reopened = await dir.OpenAsync();
        Assert.Equal(count, reopened.Size);
        for (var i = 0; i < count; i += 37)
        {
            Assert.Equal(Entry(i), await reopened.GetEntryAsync(indexes[i]));
        }

        using var source = new SqliteLedgerSource(dir.Database);
        Assert.True(LedgerVerifier.Verify(source, reopened.TreeHeadVerifier).IsValid);
    }

    [Fact]
    public async Task Queued_appends_are_committed_several_per_transaction()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        // All 300 are queued before the writer can drain them, so batches must hold several each.
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => ledger.AppendAsync(Entry(i))));
        Assert.Equal(300, ledger.Size);
        Assert.InRange(ledger.CommittedBatches, 1, 299);
    }

    [Fact]
    public async Task Append_in_caller_transaction_commits_with_it_and_rollback_leaves_no_gap()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        await ledger.AppendAsync(Entry(0));

        using (var connection = ledger.OpenConnection())
        {
            LedgerDatabase.Execute(connection, "CREATE TABLE documents(id TEXT PRIMARY KEY, ledger_index INTEGER)");
            using (var rolledBack = connection.BeginTransaction())
            {
                Assert.Equal(1, ledger.AppendInTransaction(rolledBack, Entry(100)));
                rolledBack.Rollback();
            }

            using var transaction = connection.BeginTransaction();
            var first = ledger.AppendInTransaction(transaction, Entry(1));
            var second = ledger.AppendInTransaction(transaction, Entry(2));
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO documents VALUES ('doc-1', $i)";
                insert.Parameters.AddWithValue("$i", first);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            Assert.Equal((1L, 2L), (first, second));
        }

        ledger.NotifyCommitted();
        Assert.Equal(3, ledger.Size);
        Assert.Equal(3, await ledger.AppendAsync(Entry(3)));
        Assert.Equal(Entry(1), await ledger.GetEntryAsync(1));

        var head = await ledger.IssueTreeHeadAsync();
        using var source = new SqliteLedgerSource(dir.Database);
        var report = LedgerVerifier.Verify(source, ledger.TreeHeadVerifier);
        Assert.True(report.IsValid, string.Join("; ", report.Findings));
        Assert.Equal(4, head.TreeSize);
    }

    [Fact]
    public async Task Group_commit_and_caller_transactions_interleave_with_dense_indexes()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        var queued = Enumerable.Range(0, 100).Select(i => ledger.AppendAsync(Entry(i)));
        var inTransaction = Enumerable.Range(100, 40).Select(i => Task.Run(() =>
        {
            using var connection = ledger.OpenConnection();
            using var transaction = connection.BeginTransaction();
            var index = ledger.AppendInTransaction(transaction, Entry(i));
            transaction.Commit();
            ledger.NotifyCommitted();
            return index;
        }));
        var indexes = await Task.WhenAll(queued.Concat(inTransaction));

        Assert.Equal(Enumerable.Range(0, 140).Select(i => (long)i), indexes.Order());
        Assert.Equal(140, ledger.Size);
        await ledger.IssueTreeHeadAsync();
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("; ", report.Findings));
        Assert.Equal(140, report.EntryCount);
    }

    [Fact]
    public async Task Signed_tree_head_verifies_and_any_change_breaks_it()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await ledger.AppendAsync(Entry(i));
        }

        var head = await ledger.IssueTreeHeadAsync();
        var verifier = ledger.TreeHeadVerifier;
        Assert.True(verifier.Verify(head));
        Assert.Equal(64, head.KeyId.Length);

        var root = (byte[])head.RootHash.Clone();
        root[0] ^= 1;
        var signature = (byte[])head.Signature.Clone();
        signature[10] ^= 1;
        Assert.False(verifier.Verify(head with { RootHash = root }));
        Assert.False(verifier.Verify(head with { TreeSize = 6 }));
        Assert.False(verifier.Verify(head with { Timestamp = "2030-01-01T00:00:00.000Z" }));
        Assert.False(verifier.Verify(head with { Signature = signature }));
        Assert.False(verifier.Verify(head with { KeyId = new string('0', 64) }));
        // The verifier remembers the last head that held; a changed copy never rides on that memory.
        Assert.Same(verifier, ledger.TreeHeadVerifier);
        Assert.True(verifier.Verify(head));
        Assert.False(verifier.Verify(head with { Signature = signature }));
        Assert.False(verifier.Verify(head with { RootHash = root }));

        // The signed bytes are the canonical JSON of the head without its signature.
        Assert.Equal(
            $"{{\"keyId\":\"{head.KeyId}\",\"rootHash\":\"{Convert.ToBase64String(head.RootHash)}\",\"timestamp\":\"{head.Timestamp}\",\"treeSize\":5}}",
            Encoding.UTF8.GetString(head.SignedBytes));
    }

    [Fact]
    public async Task Proofs_come_with_their_signed_head_and_verify()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        for (var i = 0; i < 7; i++)
        {
            await ledger.AppendAsync(Entry(i));
        }

        var small = await ledger.IssueTreeHeadAsync();
        for (var i = 7; i < 23; i++)
        {
            await ledger.AppendAsync(Entry(i));
        }

        var large = await ledger.IssueTreeHeadAsync();
        Assert.Equal(large, await ledger.GetLatestTreeHeadAsync());
        Assert.Equal([small, large], await ledger.ListTreeHeadsAsync(0, 100));

        for (var i = 0; i < 23; i++)
        {
            var proof = await ledger.GetInclusionProofAsync(i, 23);
            Assert.Equal(large, proof.TreeHead);
            Assert.Equal(MerkleHash.Leaf(Entry(i)), proof.LeafHash);
            Assert.True(MerkleProofVerifier.VerifyInclusion(i, 23, proof.LeafHash, proof.AuditPath, proof.TreeHead.RootHash));
            Assert.True(RfcReference.VerifyInclusion(i, 23, proof.LeafHash, proof.AuditPath, proof.TreeHead.RootHash));
        }

        var latest = await ledger.GetInclusionProofAsync(3);
        Assert.Equal(23, latest.TreeSize);

        var consistency = await ledger.GetConsistencyProofAsync(7, 23);
        Assert.Equal((small, large), (consistency.FirstTreeHead, consistency.SecondTreeHead));
        Assert.True(MerkleProofVerifier.VerifyConsistency(7, 23, small.RootHash, large.RootHash, consistency.ConsistencyPath));
        Assert.True(RfcReference.VerifyConsistency(7, 23, small.RootHash, large.RootHash, consistency.ConsistencyPath));

        Assert.Equal(LedgerErrorCodes.TreeHeadNotFound, (await Assert.ThrowsAsync<LedgerException>(() => ledger.GetInclusionProofAsync(1, 10))).Code);
        Assert.Equal(LedgerErrorCodes.IndexOutOfRange, (await Assert.ThrowsAsync<LedgerException>(() => ledger.GetInclusionProofAsync(7, 7))).Code);
        Assert.Equal(LedgerErrorCodes.TreeHeadNotFound, (await Assert.ThrowsAsync<LedgerException>(() => ledger.GetConsistencyProofAsync(5, 23))).Code);
        Assert.Equal(LedgerErrorCodes.TreeSizeInvalid, (await Assert.ThrowsAsync<LedgerException>(() => ledger.GetConsistencyProofAsync(23, 7))).Code);

        // What the host will serve: the documented JSON names, hashes in base64.
        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await ledger.GetInclusionProofAsync(5, 7)))!;
        Assert.Equal(5, json["index"]!.GetValue<long>());
        Assert.Equal(Convert.ToBase64String(small.RootHash), json["treeHead"]!["rootHash"]!.GetValue<string>());
        Assert.Equal(small.KeyId, json["treeHead"]!["keyId"]!.GetValue<string>());
        Assert.Equal(3, json["auditPath"]!.AsArray().Count);
        Assert.Null(json["treeHead"]!["SignedBytes"]);

        await ledger.AppendAsync(Entry(99));
        Assert.Equal(LedgerErrorCodes.TreeHeadNotFound, (await Assert.ThrowsAsync<LedgerException>(() => ledger.GetInclusionProofAsync(23))).Code);
    }

    [Fact]
    public async Task Background_issuer_signs_after_the_configured_number_of_entries()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync(interval: TimeSpan.FromHours(1), everyEntries: 10);
        for (var i = 0; i < 10; i++)
        {
            await ledger.AppendAsync(Entry(i));
        }

        var head = await IssuedAsync(ledger, () => { }, h => h.TreeSize == 10);
        Assert.Equal(10, head.TreeSize);
        Assert.True(ledger.TreeHeadVerifier.Verify(head));
    }

    [Fact]
    public async Task Background_issuer_signs_unsigned_entries_after_the_interval()
    {
        // The interval runs on the ledger's clock: a fake one, moved by the test, never a real timer.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync(interval: TimeSpan.FromMinutes(5), everyEntries: 1000, time: clock);
        for (var i = 0; i < 3; i++)
        {
            await ledger.AppendAsync(Entry(i));
        }

        // Appends wake the issuer, but below the entry threshold it waits for the interval.
        clock.Advance(TimeSpan.FromMinutes(4));
        await Task.Yield();
        Assert.Null(await ledger.GetLatestTreeHeadAsync());

        var start = clock.GetUtcNow();
        var head = await IssuedAsync(ledger, () => clock.Advance(TimeSpan.FromMinutes(5)), h => h.TreeSize == 3);
        var signedAt = DateTimeOffset.Parse(head.Timestamp, CultureInfo.InvariantCulture);
        Assert.InRange(signedAt, start.AddMinutes(1), clock.GetUtcNow());
        Assert.True(ledger.TreeHeadVerifier.Verify(head));
        var proof = await ledger.GetInclusionProofAsync(2);
        Assert.True(MerkleProofVerifier.VerifyInclusion(2, 3, proof.LeafHash, proof.AuditPath, proof.TreeHead.RootHash));
    }

    [Fact]
    public async Task Invalid_entries_are_refused()
    {
        using var dir = new TempLedgerDir();
        await using var ledger = await dir.OpenAsync();
        Assert.Equal(LedgerErrorCodes.EntryEmpty, Assert.Throws<LedgerException>(() => { _ = ledger.AppendAsync(Array.Empty<byte>()); }).Code);
        Assert.Equal(LedgerErrorCodes.EntryTooLarge, Assert.Throws<LedgerException>(() => { _ = ledger.AppendAsync(new byte[LedgerOptions.MaxEntrySize + 1]); }).Code);
    }

    [Fact]
    public async Task A_store_changed_behind_the_ledger_refuses_to_open()
    {
        using var dir = new TempLedgerDir();
        await using (var ledger = await dir.OpenAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                await ledger.AppendAsync(Entry(i));
            }

            await ledger.IssueTreeHeadAsync();
        }

        using (var connection = new SqliteConnection($"Data Source={dir.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ledger_entries SET entry = $e, leaf_hash = $h WHERE idx = 2";
            command.Parameters.AddWithValue("$e", Entry(42));
            command.Parameters.AddWithValue("$h", MerkleHash.Leaf(Entry(42)));
            command.ExecuteNonQuery();
        }

        Assert.Equal(LedgerErrorCodes.LedgerTampered, (await Assert.ThrowsAsync<LedgerException>(() => dir.OpenAsync())).Code);
    }

    /// <summary>
    /// The background issuer runs on its own task: poll (bounded) until it has signed the wanted head, calling
    /// <paramref name="tick"/> between polls to move a fake clock when the test drives one.
    /// </summary>
    private static async Task<SignedTreeHead> IssuedAsync(SealLedger ledger, Action tick, Func<SignedTreeHead, bool> wanted)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (await ledger.GetLatestTreeHeadAsync() is { } head && wanted(head))
            {
                return head;
            }

            tick();
            await Task.Delay(20);
        }

        throw new TimeoutException("the background issuer signed no matching tree head");
    }

}

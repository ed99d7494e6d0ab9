using System.Text;
using Npgsql;
using SealService.Ledger;
using SealService.Ledger.Merkle;
using SealService.Ledger.Signing;
using SealService.Storage.Postgres;
using SealService.TestSupport;

namespace SealService.Storage.Tests;

/// <summary>
/// The ledger on a real PostgreSQL database: the sequencer integrates queued entries and keeps the tree's hashes in tiles,
/// so a node opening the ledger loads what a signed head covers instead of reading and hashing every entry.
/// </summary>
public sealed class PostgresLedgerTests(PostgresEngine engine) : IClassFixture<PostgresEngine>
{
    [Fact]
    public async Task A_reopened_ledger_loads_the_signed_tree_from_tiles_and_serves_the_same_proofs()
    {
        var cs = await engine.CreateDatabaseAsync();
        await using var registry = await PostgresRegistryStore.OpenAsync(cs, default);
        await using (var first = await OpenAsync(registry))
        {
            await QueueAsync(cs, 0, 1000);
            await SequencedAsync(cs, first, 1000);
            Assert.Equal(1000, (await first.IssueTreeHeadAsync()).TreeSize);
            await QueueAsync(cs, 1000, 100); // integrated, no head covers them yet
            await SequencedAsync(cs, first, 1100);
            Assert.Equal(0, first.LoadedFromStoredTree); // a new log: nothing stored to load
        }

        await using (var reopened = await OpenAsync(registry))
        {
            Assert.Equal(1000, reopened.LoadedFromStoredTree); // the signed part from tiles, the rest from entries
            Assert.Equal(1100, reopened.Size);
            var reference = new MerkleTree();
            for (var i = 0; i < 1100; i++)
                reference.AppendEntry(Entry(i));
            var proof = await reopened.GetInclusionProofAsync(517, 1000);
            Assert.Equal(reference.InclusionProof(517, 1000).Select(Convert.ToHexString), proof.AuditPath.Select(Convert.ToHexString));
            Assert.Equal(reference.RootHash(1100), reopened.Frontier(1100).RootHash());
        }

        // A changed hash in a tile is tampering: the head's signature no longer matches what would be loaded.
        await PgSql.ExecuteAsync(cs, "UPDATE ledger_tiles SET hashes = overlay(hashes placing '\\x00000000'::bytea from 5) WHERE level = 1 AND tile = 0");
        var e = await Assert.ThrowsAsync<LedgerException>(() => OpenAsync(registry));
        Assert.Equal(LedgerErrorCodes.LedgerTampered, e.Code);

        // Tiles lost (or a log from before tiles): the node rebuilds from entries, and the sequencer writes them again.
        await PgSql.ExecuteAsync(cs, "DELETE FROM ledger_tiles");
        await using (var rebuilt = await OpenAsync(registry))
        {
            Assert.Equal(0, rebuilt.LoadedFromStoredTree);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await PgSql.ScalarAsync(cs, "SELECT COALESCE(SUM(length(hashes)), 0) / 32 FROM ledger_tiles WHERE level = 0") != 1100 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
        }

        await using var again = await OpenAsync(registry);
        Assert.Equal(1000, again.LoadedFromStoredTree);
        Assert.True((await again.VerifyAsync()).IsValid);
    }

    private static Task<SealLedger> OpenAsync(PostgresRegistryStore registry) =>
        SealLedger.OpenAsync(PostgresLedgerStorage.For(registry, "test"), new LedgerOptions { TreeHeadInterval = TimeSpan.Zero },
            LedgerSigner.FromPkcs12(Path.Combine(Repository.Root, "certs-dev", "ledger.p12"), "sealservice-dev"));

    private static byte[] Entry(int i) => Encoding.UTF8.GetBytes($"{{\"entry\":{i},\"pad\":\"{new string('x', i % 50)}\"}}");

    private static async Task QueueAsync(string cs, int from, int count)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        for (var i = from; i < from + count; i++)
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO ledger_queue(seal_use_id, entry) VALUES (@u, @e)", c);
            cmd.Parameters.AddWithValue("u", $"use-{i}");
            cmd.Parameters.AddWithValue("e", Entry(i));
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static async Task SequencedAsync(string cs, SealLedger ledger, long size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await PgSql.ScalarAsync(cs, "SELECT COUNT(*) FROM ledger_queue") > 0 || ledger.Size < size) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            ledger.NotifyCommitted();
        }

        Assert.Equal(size, ledger.Size);
    }
}

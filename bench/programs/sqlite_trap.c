/* For bench/run.sh coredump: SQLite with 200,000 rows in an in-memory database, then a query whose
 * SQL function traps (an integer division by zero) halfway through the scan: a core dump taken in
 * the middle of a real query, SQLite's whole state in memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

static volatile int zero;

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s failed: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

/* ratio(x, limit): x / 2 until x reaches limit, then a division by zero. */
static void ratio(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    int value = sqlite3_value_int(argv[0]), limit = sqlite3_value_int(argv[1]);
    int divisor = value >= limit ? zero : 2;
    sqlite3_result_int(context, value / divisor);
}

int main(void)
{
    sqlite3 *db;
    check(NULL, sqlite3_open(":memory:", &db), "open");
    check(db, sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL), "pragma");
    check(db, sqlite3_exec(db, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, value REAL)", NULL, NULL, NULL), "create");
    check(db, sqlite3_create_function(db, "ratio", 2, SQLITE_UTF8, NULL, ratio, NULL, NULL), "function");
    sqlite3_stmt *insert;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO items(name, value) VALUES (?, ?)", -1, &insert, NULL), "prepare");
    check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
    uint32_t state = 12345;
    for (int i = 0; i < 200000; i++) {
        char name[32];
        state = state * 1664525u + 1013904223u;
        snprintf(name, sizeof name, "item-%u", state >> 8);
        sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(insert, 2, (state % 100000) / 100.0);
        check(db, sqlite3_step(insert), "insert");
        sqlite3_reset(insert);
    }
    check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    sqlite3_stmt *query;
    check(db, sqlite3_prepare_v2(db, "SELECT sum(ratio(id, 100000)) FROM items", -1, &query, NULL), "prepare query");
    check(db, sqlite3_step(query), "query");
    printf("%lld\n", sqlite3_column_int64(query, 0));
    return 0;
}

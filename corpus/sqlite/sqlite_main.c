/* A small deterministic driver for the SQLite amalgamation (../shared/corpus/sqlite): opens :memory:,
 * creates a table, inserts rows in a transaction, creates an index, runs queries and prints results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

#define ROWS 5000

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s failed: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, error);
        sqlite3_free(error);
        exit(1);
    }
}

static void query(sqlite3 *db, const char *title, const char *sql)
{
    sqlite3_stmt *stmt;
    check(db, sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), sql);
    printf("-- %s\n", title);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int columns = sqlite3_column_count(stmt);
        for (int i = 0; i < columns; i++) {
            if (i > 0)
                printf(" | ");
            switch (sqlite3_column_type(stmt, i)) {
            case SQLITE_INTEGER:
                printf("%lld", (long long)sqlite3_column_int64(stmt, i));
                break;
            case SQLITE_FLOAT:
                printf("%.2f", sqlite3_column_double(stmt, i));
                break;
            case SQLITE_NULL:
                printf("NULL");
                break;
            default:
                printf("%s", (const char *)sqlite3_column_text(stmt, i)); /* BREAK: print_text */
                break;
            }
        }
        printf("\n");
    }
    check(db, rc, sql);
    sqlite3_finalize(stmt);
}

int main(void)
{
    static const char *const adjectives[] = { "red", "tiny", "loud", "cold", "fast", "old", "shiny", "soft" };
    static const char *const nouns[] = { "apple", "brick", "cable", "drum", "engine", "fork", "glove" };
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        fprintf(stderr, "cannot open: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    printf("sqlite %s\n", sqlite3_libversion());
    exec(db, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, category INTEGER, price REAL)");

    sqlite3_stmt *insert;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO items(name, category, price) VALUES(?1, ?2, ?3)", -1, &insert, NULL),
          "prepare insert");
    exec(db, "BEGIN");
    uint32_t seed = 2024;
    for (int i = 0; i < ROWS; i++) {
        seed = seed * 1664525u + 1013904223u;
        char name[48];
        snprintf(name, sizeof name, "%s %s %d", adjectives[(seed >> 8) % 8], nouns[(seed >> 12) % 7], i);
        sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(insert, 2, (int)((seed >> 20) % 10));
        sqlite3_bind_double(insert, 3, (double)((seed >> 4) % 100000) / 100.0);
        check(db, sqlite3_step(insert), "insert"); /* BREAK: insert_row */
        sqlite3_reset(insert);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(insert);
    exec(db, "CREATE INDEX items_category ON items(category, price)");

    query(db, "count", "SELECT count(*), min(price), max(price) FROM items");
    query(db, "per category", "SELECT category, count(*), round(sum(price), 2), round(avg(price), 2) FROM items "
                              "GROUP BY category ORDER BY category");
    query(db, "most expensive", "SELECT id, name, price FROM items ORDER BY price DESC, id LIMIT 5");
    query(db, "shiny drums", "SELECT count(*) FROM items WHERE name LIKE 'shiny drum %'");
    query(db, "cheap in category 3", "SELECT id, name, price FROM items WHERE category = 3 AND price < 20 ORDER BY price, id");
    exec(db, "UPDATE items SET price = price * 2 WHERE category = 7");
    exec(db, "DELETE FROM items WHERE price > 900");
    query(db, "after update", "SELECT count(*), round(sum(price), 2) FROM items");
    query(db, "plan", "EXPLAIN QUERY PLAN SELECT * FROM items WHERE category = 5 AND price > 10");
    query(db, "names", "SELECT group_concat(name, ', ') FROM (SELECT name FROM items WHERE id % 1000 = 0 ORDER BY id)");
    sqlite3_close(db);
    printf("done\n");
    return 0;
}

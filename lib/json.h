/*
 * The little JSON the tools print (--json, state dumps): strings need
 * escaping, everything else is printf.
 */
#ifndef HK_JSON_H
#define HK_JSON_H

#include <stdio.h>

/* Write s to f as a JSON string literal, quotes included, escaping
 * quotes, backslashes and control characters.  Bytes >= 0x80 are
 * written as they are (the input is expected to be UTF-8). */
void hk_json_str(FILE *f, const char *s);

#endif

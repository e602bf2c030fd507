/* hcheck/status.c: --status LIST. */
#include "t.h"
#include "../../hcheck/hcheck.h"

TEST(hc_status_takes_codes_and_ranges)
{
	struct hc_status_set s;
	struct hk_err e;

	CHECK_EQ_INT(hc_status_parse("200-299", &s, &e), 0);
	CHECK(hc_status_has(&s, 200) && hc_status_has(&s, 299));
	CHECK(!hc_status_has(&s, 199) && !hc_status_has(&s, 300));
	CHECK_EQ_STR(s.text, "200-299");
	CHECK_EQ_INT(hc_status_parse("200,301-302 404", &s, &e), 0);
	CHECK(hc_status_has(&s, 301) && hc_status_has(&s, 404) && !hc_status_has(&s, 303));
	CHECK_EQ_STR(s.text, "200,301-302,404");
	/* Overlaps and neighbours merge in the message. */
	CHECK_EQ_INT(hc_status_parse("200-250,251,240-260", &s, &e), 0);
	CHECK_EQ_STR(s.text, "200-260");
	CHECK(!hc_status_has(&s, 0) && !hc_status_has(&s, 1000) && !hc_status_has(&s, -1));
}

TEST(hc_status_refuses_bad_lists_naming_the_item)
{
	struct hc_status_set s;
	struct hk_err e;

	CHECK_EQ_INT(hc_status_parse("", &s, &e), -1);
	CHECK_EQ_STR(e.msg, "'' holds no status code");
	CHECK_EQ_INT(hc_status_parse("2xx", &s, &e), -1);
	CHECK_EQ_STR(e.msg, "'2xx' is not a status code or range of 100-999");
	CHECK_EQ_INT(hc_status_parse("200,99", &s, &e), -1);
	CHECK_EQ_STR(e.msg, "'99' is not a status code or range of 100-999");
	CHECK_EQ_INT(hc_status_parse("300-200", &s, &e), -1);
	CHECK_EQ_STR(e.msg, "'300-200' is a range that ends before it starts");
	CHECK_EQ_INT(hc_status_parse("200-", &s, &e), -1);
	CHECK_EQ_INT(hc_status_parse("1000", &s, &e), -1);
	CHECK_EQ_INT(hc_status_parse("-200", &s, &e), -1);
}

TEST(hc_status_message_stays_bounded)
{
	struct hc_status_set s;
	struct hk_err e;
	char list[2048];
	size_t o = 0;

	for (int c = 100; c < 600; c += 2)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%d,", c);
	CHECK_EQ_INT(hc_status_parse(list, &s, &e), 0);
	CHECK(strlen(s.text) < sizeof(s.text));
	CHECK(strcmp(s.text + strlen(s.text) - 3, "...") == 0);
}

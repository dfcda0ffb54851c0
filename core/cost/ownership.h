/* Buying instead of renting (docs/model.md, "Owned hardware and commitments"): what an owned machine costs per
 * hour it is used, what a commitment costs over its term, and the break-even between owning and renting.  Plain
 * arithmetic on numbers the run model hands over, so tests can recompute each formula by hand. */
#ifndef TS_OWNERSHIP_H
#define TS_OWNERSHIP_H

#include <glib.h>

/* The year a service life is counted in: 365.25 days (the `year` unit of scenarios), 8,766 hours. */
#define TS_OWNED_YEAR_S 31557600.0
/* A service life neither the catalog nor the scenario gives: 4 years, labelled as assumed in the outputs. */
#define TS_OWNED_DEFAULT_LIFE_S (4.0 * TS_OWNED_YEAR_S)
/* A commitment's term is billed in the providers' hours: 8,760 a year (365 days), 26,280 for three. */
#define TS_COMMITTED_HOURS_PER_YEAR 8760.0

typedef struct {
  double price_usd;      /* up-front purchase price, per node */
  double life_s;         /* service life */
  double utilisation;    /* fraction of the service life the machine does work like this: (0, 1] */
  double financing_rate; /* interest per year on the price (0: paid in cash) */
  double watts;          /* power per node */
  double electricity;    /* USD per kWh */
} TsOwnedTerms;

/* What owning one node costs each year of its life: the annuity that repays the price over the life at the
 * financing rate, price x r / (1 - (1 + r)^-years), or price / years without financing. */
double ts_owned_get_payment_per_year(const TsOwnedTerms *t);
/* The purchase's share of an hour of use: all payments over the life / the hours used in it, that is
 * payment per year / (8,766 h x utilisation).  Per node. */
double ts_owned_get_purchase_per_hour(const TsOwnedTerms *t);
/* Power at the electricity price, per node-hour: watts / 1000 x USD/kWh. */
double ts_owned_get_power_per_hour(const TsOwnedTerms *t);

/* Owning beats renting once the year's fixed cost of ownership is spread over enough runs: with F the payments
 * per year (all nodes), m what one run costs on the owned hardware besides the purchase (power, storage,
 * network) and c what the same run costs rented, runs per year N = F / (c - m) and hours per year N x h (h the
 * hours one run holds the owned hardware).  FALSE when renting is never dearer (c <= m), or a value is not finite. */
gboolean ts_break_even_compute(double fixed_per_year_usd, double owned_marginal_usd, double owned_hours,
                               double rented_usd, double *runs_per_year, double *hours_per_year);

#endif

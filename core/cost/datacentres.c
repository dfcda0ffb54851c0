/* Fleet PUE and regional grid carbon intensity, each with its source (datacentres.h).  Figures are copied as
 * the sources state them; add a region by adding its row with the source it comes from. */
#include "cost/datacentres.h"

#include <string.h>

static const TsEnergyFact pues[] = {
  {"GCP", "GCP", 1.09,
   "Google 2025 Environmental Report: fleet-wide power usage effectiveness of Google's data centres in 2024, as "
   "reported by NewsBytes ('Google data center energy use doubles in 4 years', 2025-07-02)",
   "https://www.newsbytesapp.com/news/science/google-data-center-energy-use-doubles-in-4-years/story", "2024",
   "Google's company-wide PUE, a measure of energy efficiency in data centers, improved slightly to 1.09 in 2024."},
  {"AWS", "AWS", 1.15, "AWS Sustainable Infrastructure: designing, building and operating more efficient data centers",
   "https://aws.amazon.com/sustainability/data-centers/", "2024",
   "In 2024, AWS data centers reported a global power usage effectiveness (PUE) of 1.15."},
  {"Azure", "Azure", 1.18,
   "DatacenterDynamics, 'AWS global data centers achieved PUE of 1.15 in 2023' (Microsoft's figures quoted for "
   "comparison)",
   "https://www.datacenterdynamics.com/en/news/aws-global-data-centers-achieved-pue-of-115-in-2023/", "2024-12",
   "Microsoft's newest facilities achieve a PUE of around 1.12, with a global facility average of 1.18 across the "
   "portfolio."},
};

/* Google's yearly, location-based grid carbon intensity per Cloud region (gCO2eq/kWh), 2024; the row as the file
 * gives it: region, location, Google CFE, grid carbon intensity. */
#define GCP_GRID                                                                                                   \
  "GoogleCloudPlatform/region-carbon-info, data/yearly/2024.csv at commit df92714 (Grid carbon intensity, "        \
  "gCO2eq/kWh: the average operational gross emissions per unit of energy from the grid)",                         \
    "https://github.com/GoogleCloudPlatform/region-carbon-info/blob/main/data/yearly/2024.csv", "2024"
/* AWS and Azure publish no per-region grid intensity; Cloud Carbon Footprint (Thoughtworks) maps each US region to
 * its NERC region's factor (metric tons CO2e per kWh; x 1e6 = g/kWh). */
#define CCF_NERC                                                                                                   \
  "Cloud Carbon Footprint (Thoughtworks), packages/core/src/FootprintEstimationConstants.ts at commit 5cfa10b "    \
  "(US_NERC_REGIONS_EMISSIONS_FACTORS, metric tons CO2e per kWh), which packages/aws/src/domain/"                  \
  "AwsFootprintEstimationConstants.ts (commit 0656d55) and packages/azure/src/domain/"                             \
  "AzureFootprintEstimationConstants.ts (commit 0602dde) assign to each US region",                                \
    "https://github.com/cloud-carbon-footprint/cloud-carbon-footprint/blob/trunk/packages/core/src/"                \
    "FootprintEstimationConstants.ts",                                                                             \
    "read 2026-12 (the file states no year)"
static const TsEnergyFact grids[] = {
  {"us-east-1", "AWS", 379.069, CCF_NERC, "SERC: 0.000379069; [AWS_REGIONS.US_EAST_1]: US_NERC_REGIONS_EMISSIONS_FACTORS.SERC"},
  {"us-east-2", "AWS", 410.608, CCF_NERC, "RFC: 0.000410608; [AWS_REGIONS.US_EAST_2]: US_NERC_REGIONS_EMISSIONS_FACTORS.RFC"},
  {"us-west-2", "AWS", 322.167, CCF_NERC, "WECC: 0.000322167; [AWS_REGIONS.US_WEST_2]: US_NERC_REGIONS_EMISSIONS_FACTORS.WECC"},
  {"eastus", "Azure", 379.069, CCF_NERC, "SERC: 0.000379069; [AZURE_REGIONS.US_EAST.name]: US_NERC_REGIONS_EMISSIONS_FACTORS.SERC"},
  {"eastus2", "Azure", 379.069, CCF_NERC, "SERC: 0.000379069; [AZURE_REGIONS.US_EAST_2.name]: US_NERC_REGIONS_EMISSIONS_FACTORS.SERC"},
  {"africa-south1", "GCP", 656.85, GCP_GRID, "africa-south1,Johannesburg,0.15,656.85"},
  {"asia-east1", "GCP", 439.29, GCP_GRID, "asia-east1,Taiwan,0.17,439.29"},
  {"asia-east2", "GCP", 505.02, GCP_GRID, "asia-east2,Hong Kong,0.01,505.02"},
  {"asia-northeast1", "GCP", 452.85, GCP_GRID, "asia-northeast1,Tokyo,0.17,452.85"},
  {"asia-northeast2", "GCP", 296.19, GCP_GRID, "asia-northeast2,Osaka,0.46,296.19"},
  {"asia-northeast3", "GCP", 356.57, GCP_GRID, "asia-northeast3,Seoul,0.37,356.57"},
  {"asia-south1", "GCP", 678.76, GCP_GRID, "asia-south1,Mumbai,0.09,678.76"},
  {"asia-south2", "GCP", 531.83, GCP_GRID, "asia-south2,Delhi,0.29,531.83"},
  {"asia-southeast1", "GCP", 366.85, GCP_GRID, "asia-southeast1,Singapore,0.04,366.85"},
  {"asia-southeast2", "GCP", 560.55, GCP_GRID, "asia-southeast2,Jakarta,0.18,560.55"},
  {"australia-southeast1", "GCP", 497.50, GCP_GRID, "australia-southeast1,Sydney,0.34,497.50"},
  {"australia-southeast2", "GCP", 454.37, GCP_GRID, "australia-southeast2,Melbourne,0.39,454.37"},
  {"europe-central2", "GCP", 642.88, GCP_GRID, "europe-central2,Warsaw,0.40,642.88"},
  {"europe-north1", "GCP", 39.32, GCP_GRID, "europe-north1,Finland,0.98,39.32"},
  {"europe-north2", "GCP", 2.73, GCP_GRID, "europe-north2,Stockholm,1.00,2.73"},
  {"europe-southwest1", "GCP", 89.04, GCP_GRID, "europe-southwest1,Madrid,0.87,89.04"},
  {"europe-west1", "GCP", 103.37, GCP_GRID, "europe-west1,Belgium,0.84,103.37"},
  {"europe-west2", "GCP", 105.94, GCP_GRID, "europe-west2,London,0.79,105.94"},
  {"europe-west3", "GCP", 275.82, GCP_GRID, "europe-west3,Frankfurt,0.68,275.82"},
  {"europe-west4", "GCP", 208.81, GCP_GRID, "europe-west4,Eemshaven,0.83,208.81"},
  {"europe-west6", "GCP", 15.05, GCP_GRID, "europe-west6,Zurich,0.98,15.05"},
  {"europe-west8", "GCP", 201.69, GCP_GRID, "europe-west8,Milan,0.73,201.69"},
  {"europe-west9", "GCP", 16.30, GCP_GRID, "europe-west9,Paris,0.96,16.30"},
  {"europe-west10", "GCP", 275.82, GCP_GRID, "europe-west10,Berlin,0.68,275.82"},
  {"europe-west12", "GCP", 201.69, GCP_GRID, "europe-west12,Turin,0.73,201.69"},
  {"me-central2", "GCP", 382.23, GCP_GRID, "me-central2,Dammam,0.01,382.23"},
  {"me-west1", "GCP", 433.75, GCP_GRID, "me-west1,Tel Aviv,0.07,433.75"},
  {"northamerica-northeast1", "GCP", 5.48, GCP_GRID, "northamerica-northeast1,Montreal,0.99,5.48"},
  {"northamerica-northeast2", "GCP", 58.56, GCP_GRID, "northamerica-northeast2,Toronto,0.84,58.56"},
  {"northamerica-south1", "GCP", 305.00, GCP_GRID, "northamerica-south1,Mexico,0.19,305.00"},
  {"southamerica-east1", "GCP", 67.32, GCP_GRID, "southamerica-east1,Sao Paulo,0.88,67.32"},
  {"southamerica-west1", "GCP", 238.00, GCP_GRID, "southamerica-west1,Santiago,0.92,238.00"},
  {"us-central1", "GCP", 412.72, GCP_GRID, "us-central1,Iowa,0.87,412.72"},
  {"us-east1", "GCP", 575.77, GCP_GRID, "us-east1,South Carolina,0.31,575.77"},
  {"us-east2", "GCP", 340.42, GCP_GRID, "us-east2,Georgia,0.42,340.42"},
  {"us-east4", "GCP", 323.05, GCP_GRID, "us-east4,Northern Virginia,0.62,323.05"},
  {"us-south1", "GCP", 302.95, GCP_GRID, "us-south1,Dallas,0.94,302.95"},
  {"us-west1", "GCP", 79.23, GCP_GRID, "us-west1,Oregon,0.87,79.23"},
  {"us-west2", "GCP", 169.28, GCP_GRID, "us-west2,Los Angeles,0.63,169.28"},
  {"us-west3", "GCP", 555.17, GCP_GRID, "us-west3,Salt Lake City,0.33,555.17"},
  {"us-west4", "GCP", 357.30, GCP_GRID, "us-west4,Las Vegas,0.64,357.30"},
};

static const TsEnergyFact *
find(const TsEnergyFact *facts, gsize n, const char *key)
{
  if (key == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (strcmp(facts[i].key, key) == 0)
      return &facts[i];
  return NULL;
}

const TsEnergyFact *
ts_datacentre_find_pue(const char *provider)
{
  return find(pues, G_N_ELEMENTS(pues), provider);
}

const TsEnergyFact *
ts_datacentre_find_grid(const char *region)
{
  return find(grids, G_N_ELEMENTS(grids), region);
}

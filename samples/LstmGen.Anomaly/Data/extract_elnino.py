"""Writes statsmodels' elnino dataset (shipped by Debian's python3-statsmodels) as Data/elnino.csv, one row a month.
Run once from anywhere: /usr/bin/python3 samples/LstmGen.Anomaly/Data/extract_elnino.py
elnino: monthly mean sea surface temperature (deg C) of the Pacific between 0-10 S and 90-80 W ("Nino 1+2"),
1950 to 2010; statsmodels names its source as NOAA's National Weather Service, ERSST.V3B, public domain.
"""
import os

import statsmodels.api as sm

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "elnino.csv")
data = sm.datasets.elnino.load_pandas().data
with open(out, "w") as f:
    f.write("# statsmodels.datasets.elnino (python3-statsmodels): sea surface temperature, Nino 1+2 region, deg C.\n")
    f.write("# Source named by statsmodels: NOAA National Weather Service, ERSST.V3B; \"This data is in the public domain.\"\n")
    f.write("year,month,sst\n")
    rows = 0
    for _, row in data.iterrows():
        for m, name in enumerate(MONTHS, start=1):
            f.write("%d,%d,%.2f\n" % (int(row["YEAR"]), m, row[name]))
            rows += 1
print("wrote %d rows to %s" % (rows, out))

# Writes R's co2 dataset (datasets package, shipped by Debian's r-base-core) as Data/co2.csv.
# Run once from the repository root: Rscript samples/LstmGen.Forecast/Data/extract_co2.R
# co2: "Mauna Loa Atmospheric CO2 Concentration", monthly, January 1959 to December 1997, ppm (?co2 in R).
out <- file.path("samples", "LstmGen.Forecast", "Data", "co2.csv")
t <- time(datasets::co2)
rows <- data.frame(year = floor(t + 1e-9), month = cycle(datasets::co2), ppm = as.numeric(datasets::co2))
con <- file(out, "w")
writeLines(c("# R datasets::co2 (r-base-core): Mauna Loa atmospheric CO2 concentration, monthly, ppm.",
             "# Source named by R's help page: Keeling, C. D. and Whorf, T. P., Scripps Institution of Oceanography."),
           con)
write.csv(rows, con, row.names = FALSE, quote = FALSE)
close(con)
cat("wrote", nrow(rows), "rows to", out, "\n")

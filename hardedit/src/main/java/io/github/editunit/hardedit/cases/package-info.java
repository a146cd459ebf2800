/**
 * Edit cases ({@link io.github.editunit.hardedit.cases.EditCase}) and their files: reading every accepted
 * shape with positions ({@link io.github.editunit.hardedit.cases.CaseFileReader}), semantic checks
 * ({@link io.github.editunit.hardedit.cases.CaseValidator}) and writing the EasyEdit flat and extended
 * formats ({@link io.github.editunit.hardedit.cases.CaseFileWriter}).
 */
package io.github.editunit.hardedit.cases;

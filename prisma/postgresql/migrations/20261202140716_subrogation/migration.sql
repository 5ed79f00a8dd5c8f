-- AlterTable
ALTER TABLE "FinPolicy" ADD COLUMN     "recovered" TEXT;

export default function EstablishmentView() {
  return <p>À venir</p>;
}
